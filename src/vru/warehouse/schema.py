"""Warehouse tables. Documented in docs/warehouse.md (a test checks the two agree)."""

from __future__ import annotations

import duckdb

SCHEMA_VERSION = 1

# police.uk rows, one table per kind. `force` is the slug in the file name (e.g. avon-and-somerset),
# `month` the first day of the file's month; a (force, month, kind) unit is always replaced whole.
POLICE_DDL = """
CREATE TABLE IF NOT EXISTS street_crime (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    crime_id VARCHAR,
    reported_by VARCHAR,
    falls_within VARCHAR,
    longitude DOUBLE,
    latitude DOUBLE,
    location VARCHAR,
    lsoa_code VARCHAR,          -- as published (2021 codes, older files 2011)
    lsoa_name VARCHAR,
    lsoa21_code VARCHAR,        -- mapped to 2021 (see docs/data-sources.md)
    lsoa21_method VARCHAR,      -- how lsoa21_code was found
    crime_type VARCHAR NOT NULL,
    last_outcome_category VARCHAR,
    context VARCHAR
);
CREATE TABLE IF NOT EXISTS outcome (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    crime_id VARCHAR,
    reported_by VARCHAR,
    falls_within VARCHAR,
    longitude DOUBLE,
    latitude DOUBLE,
    location VARCHAR,
    lsoa_code VARCHAR,
    lsoa_name VARCHAR,
    lsoa21_code VARCHAR,
    lsoa21_method VARCHAR,
    outcome_type VARCHAR
);
CREATE TABLE IF NOT EXISTS stop_search (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    type VARCHAR,
    date TIMESTAMPTZ,
    part_of_policing_operation VARCHAR,
    policing_operation VARCHAR,
    latitude DOUBLE,
    longitude DOUBLE,
    gender VARCHAR,
    age_range VARCHAR,
    self_defined_ethnicity VARCHAR,
    officer_defined_ethnicity VARCHAR,
    legislation VARCHAR,
    object_of_search VARCHAR,
    outcome VARCHAR,
    outcome_linked_to_object_of_search VARCHAR,
    removal_of_more_than_outer_clothing VARCHAR
);
CREATE TABLE IF NOT EXISTS ingest_unit (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    kind VARCHAR NOT NULL,          -- street | outcomes | stop-and-search
    source_file VARCHAR NOT NULL,   -- path as given, with '!member' for a file inside a zip
    source_sha256 VARCHAR NOT NULL, -- of the bytes read (the .gz or the zip member)
    ingested_at TIMESTAMPTZ NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_without_location BIGINT NOT NULL,
    PRIMARY KEY (force, month, kind)
);
-- What `vru fetch` (with its availability check) found about a force's month: loaded by `vru ingest` from
-- the fetch manifest in the folder it reads. A month missing from the warehouse and recorded here as not
-- published is police.uk's gap; one not recorded is only "not in the loaded data".
CREATE TABLE IF NOT EXISTS police_uk_availability (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    published BOOLEAN NOT NULL,
    reason VARCHAR NOT NULL,        -- "not in archive 2024-09.zip", "not published yet (...)", "extracted ..."
    checked_at VARCHAR NOT NULL,    -- ISO 8601 time of the check
    newest_published VARCHAR NOT NULL,
    source VARCHAR NOT NULL,        -- the server asked
    PRIMARY KEY (force, month)
);
CREATE TABLE IF NOT EXISTS quarantine (
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    kind VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line BIGINT,                    -- line in the source file (header = line 1)
    column_name VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    value VARCHAR
);
"""

# Reference data (geography, deprivation, population), loaded by vru.warehouse.reference.
REFERENCE_DDL = """
CREATE TABLE IF NOT EXISTS ref_lsoa11_lsoa21 (
    lsoa11_code VARCHAR NOT NULL,
    lsoa11_name VARCHAR,
    change_code VARCHAR NOT NULL,   -- U unchanged, S split, M merged, X complex
    lsoa21_code VARCHAR NOT NULL,
    lsoa21_name VARCHAR,
    lad22_code VARCHAR,
    lad22_name VARCHAR
);
CREATE TABLE IF NOT EXISTS ref_lsoa21_area (
    lsoa21_code VARCHAR PRIMARY KEY,
    lsoa21_name VARCHAR,
    ward_code VARCHAR,              -- electoral ward 2024, best fit
    ward_name VARCHAR,
    lad_code VARCHAR,               -- local authority district 2024
    lad_name VARCHAR
);
CREATE TABLE IF NOT EXISTS ref_lad_csp_pfa (
    lad_code VARCHAR NOT NULL,
    lad_name VARCHAR,
    csp_code VARCHAR NOT NULL,      -- community safety partnership 2024; a district formed from several
    csp_name VARCHAR,               -- old districts keeps one row per partnership (e.g. Buckinghamshire: 4)
    pfa_code VARCHAR,               -- police force area 2024
    pfa_name VARCHAR,
    PRIMARY KEY (lad_code, csp_code)
);
CREATE TABLE IF NOT EXISTS ref_boundary (
    layer VARCHAR NOT NULL,         -- lsoa21 | lsoa11 | ward | lad | pfa
    code VARCHAR NOT NULL,
    name VARCHAR,
    geometry_wkt VARCHAR NOT NULL,  -- WGS84 (EPSG:4326)
    PRIMARY KEY (layer, code)
);
CREATE TABLE IF NOT EXISTS ref_imd (
    edition INTEGER NOT NULL,       -- 2019 (LSOA 2011) or 2025 (LSOA 2021)
    lsoa_code VARCHAR NOT NULL,
    lsoa_vintage INTEGER NOT NULL,  -- 2011 or 2021
    domain VARCHAR NOT NULL,        -- imd, income, employment, education, health, crime, housing, environment
    rank INTEGER,
    decile INTEGER,
    score DOUBLE,                   -- NULL where the source has ranks and deciles only
    PRIMARY KEY (edition, lsoa_code, domain)
);
CREATE TABLE IF NOT EXISTS ref_population_age (
    lsoa21_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,          -- mid-year of the estimate
    age INTEGER NOT NULL,           -- single year of age; 90 means 90 and over
    population DOUBLE NOT NULL,     -- apportioned from LSOA 2011 where needed, so not always whole
    method VARCHAR NOT NULL,        -- how it was apportioned
    PRIMARY KEY (lsoa21_code, year, age)
);
CREATE TABLE IF NOT EXISTS ref_price_index (
    series VARCHAR NOT NULL,        -- ONS CDID, e.g. YBGB (GDP deflator at market prices)
    title VARCHAR,
    period VARCHAR NOT NULL,        -- "2024", "2024 Q1" or "2024 JAN", as ONS writes it
    period_type VARCHAR NOT NULL,   -- year | quarter | month
    value DOUBLE NOT NULL,
    release_date VARCHAR,           -- the ONS release the file is from
    PRIMARY KEY (series, period)
);
CREATE TABLE IF NOT EXISTS ref_source (
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    rows_loaded BIGINT NOT NULL,
    PRIMARY KEY (table_name, source_file)
);
"""


# Partner data: ONS police force area tables (police recorded crime), loaded by vru.warehouse.partner.
# One row per (edition, table, 12-month period, area, offence group); an edition is always replaced whole.
PARTNER_DDL = """
CREATE TABLE IF NOT EXISTS partner_recorded_crime (
    edition_end VARCHAR NOT NULL,   -- YYYY-MM: the edition covers the 12 months ending this month
    table_id VARCHAR NOT NULL,      -- P1 offences, P2 previous year (from % change), P4 / P5 knife
    period_end VARCHAR NOT NULL,    -- YYYY-MM: last month of the 12 months counted
    pfa_code VARCHAR,               -- E23... (also region and country codes; NULL for e.g. BTP)
    pfa_name VARCHAR NOT NULL,      -- footnote markers removed
    offence_group VARCHAR NOT NULL, -- snake_case, e.g. violence_with_injury, knife_selected_offences
    count BIGINT,                   -- NULL where ONS publishes a marker ('..', '-'): see note
    note VARCHAR,                   -- marker meaning, ONS footnotes, how a P2 count was derived
    source_file VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,         -- sheet name as in the workbook ("Table P1 ")
    source_sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);
"""


# Published partner indicators, their definitions and DfE statistical neighbours, written by
# vru.warehouse.partner_indicators.
PARTNER_INDICATOR_DDL = """
CREATE TABLE IF NOT EXISTS partner_indicator (
    source VARCHAR NOT NULL,        -- dfe_lait, dfe_cla, dfe_cla_outcomes, dfe_cla_missing, dfe_cin_exclusions,
                                    -- dfe_cin_factors, dfe_neet, ons_homicide, ho_licensing
    publication VARCHAR NOT NULL,   -- publisher: title (date)
    area_code VARCHAR NOT NULL,     -- GSS code; areas named without one matched through partner_area_lookup.csv
    area_name VARCHAR NOT NULL,     -- as published
    area_level VARCHAR NOT NULL,    -- country | region | local_authority | police_force_area | licensing_authority
    period VARCHAR NOT NULL,        -- as published (academic years 2020/21)
    year INTEGER,                   -- calendar year the period ends in
    indicator VARCHAR NOT NULL,
    value DOUBLE,                   -- NULL exactly when the publisher gives a marker instead
    numerator DOUBLE,
    denominator DOUBLE,
    unit VARCHAR NOT NULL,
    marker VARCHAR,                 -- the publisher's own marker (c, x, z, low, -, [x] ...), never turned into 0
    marker_meaning VARCHAR,
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    CHECK ((value IS NULL) = (marker IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS partner_indicator_definition (
    source VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    definition VARCHAR,
    unit VARCHAR,
    polarity VARCHAR,               -- low is good | high is good | NULL (neither)
    owner VARCHAR,                  -- data owner named by the publisher
    link VARCHAR,
    updated VARCHAR,                -- last update the publisher gives (YYYY-MM-DD)
    PRIMARY KEY (source, indicator)
);
CREATE TABLE IF NOT EXISTS partner_statistical_neighbour (
    area_code VARCHAR NOT NULL,
    neighbour_code VARCHAR NOT NULL,
    rank INTEGER NOT NULL,          -- 1 = closest
    closeness VARCHAR,              -- DfE's band: Extremely close, Very close, Close, Somewhat close...
    source VARCHAR NOT NULL,
    PRIMARY KEY (area_code, rank)
);
CREATE TABLE IF NOT EXISTS partner_area_population (
    area_code VARCHAR NOT NULL,     -- local authority district 2022 (GSS)
    area_name VARCHAR NOT NULL,
    year INTEGER NOT NULL,          -- mid-year of the estimate
    population DOUBLE NOT NULL,     -- all ages
    basis VARCHAR NOT NULL,         -- how it was made (scripts/build_local_authority_population.py)
    PRIMARY KEY (area_code, year)
);
"""


# Local partner uploads, their records and which sources staff marked publishable, written by
# vru.warehouse.partner_intake.
PARTNER_INTAKE_DDL = """
CREATE SEQUENCE IF NOT EXISTS partner_upload_id;
CREATE TABLE IF NOT EXISTS partner_upload (
    upload_id BIGINT PRIMARY KEY DEFAULT nextval('partner_upload_id'),
    organisation VARCHAR NOT NULL,  -- the partner, as staff name it (e.g. "Royal United Hospitals Bath ED")
    kind VARCHAR NOT NULL,          -- ed_assault | ambulance_assault | youth_justice_cohort | school_suspension
    source_file VARCHAR NOT NULL,   -- file name as uploaded
    source_sha256 VARCHAR NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    rows_loaded BIGINT NOT NULL,
    months VARCHAR NOT NULL,        -- YYYY-MM, comma-separated: the months the upload replaced
    replaced_rows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS partner_record (
    upload_id BIGINT NOT NULL,
    organisation VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    month DATE NOT NULL,            -- first day of the record's month
    line BIGINT NOT NULL,           -- line in the uploaded file (header = line 1)
    record_key VARCHAR NOT NULL,    -- the template's key columns: a repeat is a duplicate
    lsoa21_code VARCHAR,            -- where the kind has a location and the partner placed it
    count BIGINT NOT NULL,          -- 1 for an event; the count for aggregate kinds
    completeness DOUBLE NOT NULL,   -- share of the expected fields given and not "unknown"
    fields VARCHAR NOT NULL         -- the validated row, JSON
);
CREATE TABLE IF NOT EXISTS partner_publishable (
    organisation VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    publishable BOOLEAN NOT NULL,   -- nothing from a source is published until staff set this
    marked_by VARCHAR NOT NULL,
    marked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation, kind)
);
"""


class SchemaMismatch(RuntimeError):
    pass


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables; refuse a warehouse written by another schema version (tables are created with
    IF NOT EXISTS, so an old file would otherwise keep old columns and keys silently)."""
    con.execute("CREATE TABLE IF NOT EXISTS warehouse_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    found = con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema_version'").fetchone()
    if found is None:
        con.execute("INSERT INTO warehouse_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    elif found[0] != str(SCHEMA_VERSION):
        raise SchemaMismatch(
            f"this warehouse was written with schema version {found[0]}, this toolkit uses {SCHEMA_VERSION}: "
            "load the data again into a new warehouse file"
        )
    con.execute(POLICE_DDL)
    con.execute(REFERENCE_DDL)
    con.execute(PARTNER_DDL)
    con.execute(PARTNER_INDICATOR_DDL)
    con.execute(PARTNER_INTAKE_DDL)
