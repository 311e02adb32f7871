"""Template helpers for GOV.UK form fields and dates: {% load resources_forms %}.

Used by the resources and signposting templates (resources/forms/*.html).
"""

from __future__ import annotations

from datetime import date

from django import forms, template

from portal.common.formatting import MONTH_NAMES
from portal.resources.forms import GovukDateWidget, typed_date_parts
from portal.resources.links import host_of

register = template.Library()


@register.filter
def govuk_date(value: date | None) -> str:
    """26 November 2026 (the GOV.UK style for a date)."""
    if not value:
        return ""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


register.filter("host", host_of)


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
