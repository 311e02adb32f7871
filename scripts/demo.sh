#!/usr/bin/env bash
# `make demo`: build the Bath and North East Somerset assessment from the committed real extract
# (data/demo, no network) and serve the portal on http://127.0.0.1:8000. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

area="${VRU_AREA_CODE:-E06000022}"
warehouse="${VRU_WAREHOUSE:-var/warehouse.duckdb}"
port="${VRU_DEMO_PORT:-8000}"
# The demo runs on plain http on your own machine: debug mode allows its cookies without HTTPS.
export DJANGO_DEBUG=true

echo "== reference data (geography, deprivation, population, GDP deflator) from data/demo"
.venv/bin/vru reference data/demo/geography data/demo/deprivation data/demo/population data/demo/prices \
  --warehouse "$warehouse"
echo "== partner data from data/demo: Home Office recorded crime tables (force level), DfE and ONS indicators"
.venv/bin/vru partner data/demo/recorded_crime data/demo/partner_la --warehouse "$warehouse"
echo "== police.uk street files from data/demo"
.venv/bin/vru ingest data/demo/police_uk --warehouse "$warehouse"
echo "== coverage for $area"
.venv/bin/vru coverage --area "$area" --warehouse "$warehouse" | tail -n 5
echo "== needs assessment for $area"
.venv/bin/vru assess --area "$area" --from 2023-01 --to 2025-04 --out "var/bundle/$area" --warehouse "$warehouse" \
  --licensed-premises data/demo/night_time_economy/Open_Pubs_-_Bath__North_East_Somerset.csv --licensed-premises-as-of 2016-12
echo "== monitoring table: success measures as SPC charts for $area"
.venv/bin/vru monitor --area "$area" --from 2023-01 --to 2025-04 --out "var/monitoring/$area.json" --warehouse "$warehouse"
echo "== portal database and published figures"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py publish_coverage --warehouse "$warehouse" --area "$area"
.venv/bin/python manage.py publish_insights --bundle "var/bundle/$area"
# The public sees only an approved assessment: approve this one from the server (staff approve in /staff/publication/).
.venv/bin/python manage.py approve_assessment --by "Demo approver" --area "$area"
echo "== gap register from the assessment, the seeded service directory and consultations (into the bundle)"
.venv/bin/python manage.py build_gap_register
.venv/bin/python manage.py export_gap_register --bundle "var/bundle/$area"
echo "== Strategic Needs Assessment report (HTML and PDF), with the gap register, published and approved"
# `vru report` writes the board's draft; approving renders it again as approved (version, date and approver on
# the cover and every PDF page), and only that version is served at /dashboard/report/report.pdf.
.venv/bin/vru report --bundle "var/bundle/$area" --out "var/report/$area"
.venv/bin/python manage.py publish_insights --bundle "var/bundle/$area" --report "var/report/$area"
.venv/bin/python manage.py approve_assessment --by "Demo approver" --area "$area"
.venv/bin/python manage.py publish_monitoring --file "var/monitoring/$area.json" --area "$area"
echo "== evidence library and a draft response strategy from the assessment"
.venv/bin/python manage.py load_evidence_library
.venv/bin/python manage.py draft_strategy --area "$area"
.venv/bin/python manage.py render_strategy --area "$area"

echo "== serving http://127.0.0.1:$port (Ctrl-C to stop)"
exec .venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload
