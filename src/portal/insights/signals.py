"""Signals of the insights app. Other apps listen; insights never imports them (see pyproject.toml contracts)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the publishing transaction with `assessment` (a saved PublishedAssessment). A receiver that
# raises undoes the publication: portal.dashboards builds its pages here, so what cannot be shown is not stored.
assessment_published = Signal()
