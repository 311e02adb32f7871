"""{% load page_markup %}{{ page.body|page_markup }}: a page body in the small markup, as safe HTML."""

from django import template

from portal.core.markup import render

register = template.Library()
register.filter("page_markup", render)
