"""The bridge between the toolkit and the portal: the ONLY part of the portal that imports `vru`.

Management commands here read the warehouse (or assessment bundles) and copy what pages show into the
portal database, so that requests never touch the warehouse.
"""
