"""A resource's page address, put together from one reverse() per process, is reverse()'s for every resource."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from portal.resources.models import Resource

pytestmark = pytest.mark.django_db


def test_every_seeded_resource_address_is_what_reverse_gives():
    resources = list(Resource.objects.all())
    assert len(resources) > 20  # the seeded library (a migration loads it)
    for resource in resources:
        assert resource.get_absolute_url() == reverse("resources:detail", args=[resource.slug])


def test_a_slug_the_address_cannot_take_still_raises_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        Resource(slug="not a slug").get_absolute_url()
