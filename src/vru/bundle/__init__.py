"""The assessment bundle: the contract between `vru assess` and its readers (docs/bundle.md).

`schema` defines it (files, tables, required columns, schema version), `writer` writes it, `reader` reads and
checks it. The report and the portal read a bundle only through `read_bundle`.
"""

from vru.bundle.errors import BundleError
from vru.bundle.reader import Bundle, read_bundle
from vru.bundle.schema import (
    BOUNDARY_LAYERS,
    GAP_REGISTER_FILE,
    GAP_REGISTER_SCHEMA,
    SCHEMA_VERSION,
    SUMMARY_FILE,
    TABLES,
    TableSpec,
)
from vru.bundle.writer import check_destination, write_bundle

__all__ = [
    "BOUNDARY_LAYERS",
    "GAP_REGISTER_FILE",
    "GAP_REGISTER_SCHEMA",
    "SCHEMA_VERSION",
    "SUMMARY_FILE",
    "TABLES",
    "Bundle",
    "BundleError",
    "TableSpec",
    "check_destination",
    "read_bundle",
    "write_bundle",
]
