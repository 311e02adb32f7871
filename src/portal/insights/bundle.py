"""The portal's one door to the assessment bundle: the toolkit's own reader (vru.bundle), so that the portal
accepts exactly the bundles `vru report` can render, and refuses the rest with the reader's message.

pandas and pyarrow load inside `read_bundle`, when `manage.py publish_insights` runs; the web process never
imports them.
"""

from __future__ import annotations

from pathlib import Path

from vru.bundle import GAP_REGISTER_FILE, GAP_REGISTER_SCHEMA, SCHEMA_VERSION, BundleError

__all__ = ["GAP_REGISTER_FILE", "GAP_REGISTER_SCHEMA", "SCHEMA_VERSION", "BundleError", "read_bundle"]


def read_bundle(bundle_dir: Path) -> dict:
    """{"summary", "tables" (JSON-safe rows), "boundaries" (GeoJSON)} of a checked bundle. Raises BundleError."""
    from vru.bundle import read_bundle as read_checked_bundle

    bundle = read_checked_bundle(bundle_dir)
    return {
        "summary": bundle.summary,
        "tables": {name: bundle.records(name) for name in bundle.tables},
        "boundaries": bundle.boundaries,
    }
