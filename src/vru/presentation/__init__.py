"""The presentation layer shared by the report and the portal's dashboard (docs/adr/0010-one-presentation-layer.md).

Formatting (`formatting`), the small-number rule (`suppression`), choropleth classes (`classes`). Pure Python
with no third-party imports, so the portal may load it in the web process and `vru --help` stays fast.
"""
