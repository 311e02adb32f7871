"""The needs assessment: warehouse queries (`queries`, returning frames) and the orchestration that runs the
methods and writes the bundle (`run`)."""

from vru.assessment.queries import Area, AssessmentError, resolve_area
from vru.assessment.run import assess

__all__ = ["Area", "AssessmentError", "assess", "resolve_area"]
