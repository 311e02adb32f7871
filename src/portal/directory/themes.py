"""The themes of the unit's work, as taxonomy terms of the service directory (the issue's list).

Each theme is an Open Referral taxonomy term with a fixed id (a UUID made from its slug, so the same term has
the same id in every copy of the portal and in every feed we publish)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

TAXONOMY = "VRU themes"
# A fixed namespace for the theme ids: uuid5(NAMESPACE_URL, "https://vru.example/themes") would tie them to
# a host we do not own, so the namespace is a random UUID chosen once.
THEME_NAMESPACE = uuid.UUID("5f0c4d0e-5a5b-4f4e-9a53-7d8a3c1b2e61")


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(THEME_NAMESPACE, self.slug)


THEMES = (
    Theme("youth-support", "Youth support and diversion", "Youth work, mentoring, activities and diversion."),
    Theme("exploitation", "Exploitation", "Criminal and sexual exploitation of children, county lines."),
    Theme(
        "domestic-abuse", "Domestic abuse", "Support for people harmed by domestic abuse and work with those who harm."
    ),
    Theme("sexual-violence", "Sexual violence", "Support after rape, sexual assault and abuse."),
    Theme("substance-misuse", "Substance misuse", "Drug and alcohol services."),
    Theme("mental-health", "Mental health", "Emotional wellbeing and mental health support."),
    Theme("education-employment", "Education and employment", "Staying in education, training and work."),
    Theme("victim-support", "Victim support", "Help for victims and witnesses of crime."),
    Theme("family-support", "Family support", "Help for parents, carers and families."),
    Theme("night-time-economy", "Night-time economy safety", "Safety in town centres at night."),
)
THEME_BY_SLUG = {theme.slug: theme for theme in THEMES}
THEME_CHOICES = [(theme.slug, theme.name) for theme in THEMES]
