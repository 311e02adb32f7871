"""Template filters for portal.common.formatting: {% load portal_format %}."""

from django import template

from portal.common import formatting

register = template.Library()
register.filter("thousands", formatting.thousands)
register.filter("govuk_datetime", formatting.govuk_datetime)
register.filter("govuk_date", formatting.govuk_date)
