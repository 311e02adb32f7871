"""Template filters for portal.core.formatting: {% load portal_format %}."""

from django import template

from portal.core import formatting

register = template.Library()
register.filter("thousands", formatting.thousands)
register.filter("govuk_datetime", formatting.govuk_datetime)
register.filter("govuk_date", formatting.govuk_date)
