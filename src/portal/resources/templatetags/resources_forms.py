"""Template helpers for GOV.UK form fields and dates: {% load resources_forms %}.

Used by the resources and signposting templates (resources/forms/*.html).
"""

from __future__ import annotations

from django import forms, template

from portal.common.formatting import govuk_date
from portal.resources.checking import last_checked_words
from portal.resources.forms import GovukDateWidget, typed_date_parts
from portal.resources.links import host_of

register = template.Library()

register.filter("govuk_date", govuk_date)
register.filter("host", host_of)
register.filter("last_checked_words", last_checked_words)


@register.filter
def error_anchor(field: forms.BoundField) -> str:
    """The id an error summary link should point to: the field's first box, radio or checkbox."""
    widget = field.field.widget
    if isinstance(widget, (GovukDateWidget, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.simple_tag
def date_parts(form: forms.Form, name: str) -> list[dict]:
    """The day, month and year boxes of a GovukDateWidget field, with what is in each."""
    values = typed_date_parts(form, name)
    field = form[name]
    return [
        {"id": f"{field.auto_id}_{index}", "name": f"{field.html_name}_{index}", "label": label, "value": value,
         "width": width}
        for index, (label, value, width) in enumerate(zip(("Day", "Month", "Year"), values, (2, 2, 4), strict=True))
    ]  # fmt: skip
