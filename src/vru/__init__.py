"""Serious-violence needs-assessment toolkit: ingest police.uk and reference data, assess, report.

Plain Python: never imports Django or the portal (enforced by import-linter).
"""

__version__ = "0.1.0"
