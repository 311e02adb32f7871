"""Monitoring in the portal: publishing the table `vru monitor` writes, and the public page with its charts,
detectable change and the Home Office measures shown as missing. The table is made from the committed demo
extract (real B&NES rows) by the toolkit itself."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.core.management import CommandError, call_command

from portal.strategy.models import MonitoringMeasure
from portal.strategy.monitoring import publish_monitoring
from vru.monitoring import monitoring_table, write_monitoring
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def monitoring_file(tmp_path_factory, demo_data):
    folder = tmp_path_factory.mktemp("monitoring")
    con = connect(folder / "warehouse.duckdb")
    load_reference(con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population"])
    ingest(con, [demo_data / "police_uk"])
    table = monitoring_table(con, "E06000022", "2023-01", "2025-04", "2024-06")
    con.close()
    return write_monitoring(table, folder / "monitoring.json")


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_publishing_replaces_the_area_measures(monitoring_file):
    call_command("publish_monitoring", file=str(monitoring_file), verbosity=0)
    call_command("publish_monitoring", file=str(monitoring_file), area="E06000022", verbosity=0)
    assert MonitoringMeasure.objects.count() == 12
    measure = MonitoringMeasure.objects.get(key="police-uk:robbery:area")
    table = json.loads(monitoring_file.read_text())
    source = next(m for m in table["measures"] if m["key"] == "police-uk:robbery:area")
    assert measure.series == source["series"] and measure.baseline_to == "2024-06"
    assert measure.chart["points"][-1]["upper_limit"] == source["chart"]["points"][-1]["upper_limit"]
    with pytest.raises(CommandError, match="not E06000023"):
        call_command("publish_monitoring", file=str(monitoring_file), area="E06000023")


def test_bad_tables_are_refused_and_nothing_changes(tmp_path, monitoring_file):
    publish_monitoring(monitoring_file)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": 1}))
    with pytest.raises(CommandError, match="missing keys"):
        call_command("publish_monitoring", file=str(bad))
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not a readable JSON"):
        call_command("publish_monitoring", file=str(bad))
    assert MonitoringMeasure.objects.count() == 12


def test_public_page_shows_charts_limits_and_missing_measures(client, monitoring_file):
    publish_monitoring(monitoring_file)
    response = client.get("/monitoring/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert html.count('role="img"') == 9  # nine charts: three crime types, three geographies
    assert "Upper process limit" in html and "Strategy starts" in html
    assert "could be told from chance" in text
    assert "Hospital admissions for assault with a knife or sharp object Missing Not loaded yet" in text
    assert "style=" not in html.split("<main", 1)[1]  # nothing the Content Security Policy would block


def test_page_before_anything_is_published(client):
    assert "No monitoring has been published yet." in text_of(client.get("/monitoring/"))
