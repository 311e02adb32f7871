"""The report's sections, one module each, matching templates/sections/. Each has `build(bundle, registry, common)`
(appendices: `methods`, `lsoa_table`, `files`) returning what its template prints; vru.report.context calls them
in report order."""
