"""The report built from a real bundle (B&NES, demo extract): figures come from the bundle, the PDF's contents
match its pages, and nothing leaks into the text."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from vru.presentation.formatting import month_list, thousands
from vru.report import render_report


def squash(text: str) -> str:
    """Whitespace folded, so text wrapped over lines still matches."""
    return re.sub(r"\s+", " ", text)


def test_the_pdf_carries_the_headline_figures_of_the_bundle(report, pdf_pages, summary):
    text = squash(" ".join(pdf_pages))
    findings = {finding["id"]: finding for finding in summary["findings"]}
    volume = findings["volume"]["figure"]
    assert thousands(volume) in text  # e.g. 12,644
    assert squash(findings["volume"]["text"]) in text
    # The trend is the level shift, not "rising 15.9% a year": the demo holds B&NES only, so the step is
    # described and not judged against the rest of the force.
    assert squash(findings["trend"]["text"]) in text
    assert "The profile is rising" not in findings["trend"]["text"] and "stepped up" in findings["trend"]["text"]
    assert summary["area"]["name"] in text
    assert month_list(summary["missing_months"]) in text  # "July and August 2024"
    for item in summary["profile"]["cannot_separate"]:
        assert squash(item) in text
    for row in summary["volume"]:
        assert thousands(row["count"]) in text


def test_the_contents_page_numbers_match_the_pages_of_the_headings(pdf_pages):
    assert pdf_pages[0].strip().splitlines()[0].strip() == "SERIOUS VIOLENCE DUTY"
    contents_page = next(i for i, page in enumerate(pdf_pages) if re.search(r"^\s*Contents\s*$", page, re.M))
    entries = re.findall(r"^\s*(\S.*?)[ .]{4,}(\d+)\s*$", pdf_pages[contents_page], re.M)
    titles = [title.strip() for title, _ in entries]
    assert titles[0] == "1. Executive summary: key findings"
    assert "13. Recommendations" in titles and "Appendix A: Methods" in titles and "Appendix D: Source files" in titles
    assert len(entries) == 17
    for title, page in entries:
        found = [
            number
            for number, text in enumerate(pdf_pages, start=1)
            if number > contents_page + 1 and any(line.strip() == title for line in text.splitlines())
        ]
        assert found, f"heading {title!r} not found in the PDF"
        assert found[0] == int(page), f"{title!r}: contents say page {page}, heading is on page {found[0]}"
    assert 20 <= len(pdf_pages) <= 48  # 41 with the two partner chapters (18 small tables)


def test_nothing_leaks_into_the_text(report, pdf_pages):
    html = report.html.read_text(encoding="utf-8")
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", html, flags=re.S))
    for text in (" ".join(pdf_pages), visible):
        assert not re.search(r"\bnan\b", text, re.I)
        assert not re.search(r"\bNone\b|\bnull\b|\bundefined\b", text)
        assert "{{" not in text and "}}" not in text and "{%" not in text


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.images: list[dict] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.scripts = 0
        self.external: list[str] = []
        self.html_lang = None
        self.first_link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(attrs)
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1
        if tag == "script":
            self.scripts += 1
        if tag == "a" and self.first_link is None:
            self.first_link = attrs
        for name in ("src", "href"):
            if re.match(r"(https?:)?//", attrs.get(name) or ""):
                self.external.append(attrs[name])


def test_the_html_is_accessible_by_construction(report):
    parser = Structure()
    parser.feed(report.html.read_text(encoding="utf-8"))
    assert parser.html_lang == "en-GB"
    assert parser.first_link == {"class": "skip-link", "href": "#main"}
    assert parser.headings.count(1) == 1 and parser.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(parser.headings, parser.headings[1:], strict=False)), parser.headings
    assert parser.tables == parser.captions and parser.tables > 20
    assert parser.th_without_scope == 0
    assert parser.scripts == 0 and parser.external == []
    assert len(parser.images) == len(report.figures) >= 8
    for image in parser.images:
        assert len(image["alt"]) > 60, image
        assert (report.html.parent / image["src"]).is_file()


def test_figures_are_deterministic_svg(report, report_bundle, tmp_path, produced_on):
    for figure in report.figures:
        svg = figure.read_text(encoding="utf-8")
        # Drawn by the presentation layer's renderer: an image named by its own title and description.
        head = re.match(
            r'<svg [^>]*role="img" aria-labelledby="([\w-]+)-title \1-desc"[^>]*>'
            r'<title id="\1-title">[^<]{20,}</title><desc id="\1-desc">[^<]{60,}</desc>',
            svg,
        )
        assert head, figure.name
        assert "<script" not in svg and " style=" not in svg
    again = render_report(report_bundle, tmp_path, ["html"], produced_on=produced_on)
    assert again.html.read_text(encoding="utf-8") == report.html.read_text(encoding="utf-8")
    for figure in report.figures:
        assert (tmp_path / figure.name).read_bytes() == figure.read_bytes(), figure.name


def test_numbers_come_from_the_bundle(report_bundle, tmp_path, produced_on):
    """Change the bundle's summary and the report follows: nothing is typed into the templates."""
    bundle = tmp_path / "bundle"
    shutil.copytree(report_bundle, bundle)
    summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    summary["findings"][0]["text"] = "A finding rewritten for the test, with 98,765 crimes."
    summary["volume"][0]["count"] = 123457
    summary["population"]["total"] = 654321.0
    summary["cost"]["headline_check"]["counts"][0]["central"] = 3.0  # a partner-sourced count under 5
    summary["backtest"].update(coverage=0.9, reliable=True)  # the forecast now passes its back-test
    (bundle / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    html = render_report(bundle, tmp_path / "out", ["html"], produced_on=produced_on).html.read_text(encoding="utf-8")
    assert "A finding rewritten for the test, with 98,765 crimes." in html
    assert "123,457" in html
    assert "654,321" in html
    headline_counts = html.split("Counts behind the recomputed headline", 1)[1].split("</table>", 1)[0]
    assert "fewer than 5" in headline_counts
    assert "The forecast passed its back-test: its prediction ranges held 90%" in html
    assert "Do not plan on the forecast" not in html


def test_the_command_line_and_a_bundle_without_cost(report_bundle, tmp_path, summary):
    """`vru report` on a bundle whose cost could not be estimated: the section says why, and no
    recommendation rests on a cost that is not there."""
    import typer

    from vru.cli import report as report_cli

    bundle = tmp_path / "bundle"
    shutil.copytree(report_bundle, bundle)
    changed = dict(summary)
    changed["cost"] = {"available": False, "reason": "No Home Office recorded crime tables are loaded."}
    changed["findings"] = [f for f in summary["findings"] if f["id"] != "cost"]
    (bundle / "summary.json").write_text(json.dumps(changed), encoding="utf-8")
    app = typer.Typer()
    report_cli.register(app)
    app.command("version")(lambda: None)  # a second command, so `report` is a subcommand as in `vru`
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", "--bundle", str(bundle), "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and not (out / "report.pdf").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "No cost of violence is given. No Home Office recorded crime tables are loaded." in html
    assert "Quote the cost as a range" not in html
    missing = runner.invoke(app, ["report", "--bundle", str(tmp_path / "nothing"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 2 and "no bundle folder" in missing.output


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("lsoa.parquet", b"PAR1 not really parquet", "lsoa.parquet cannot be read as Parquet"),
        ("boundaries_ward.geojson", b'{"type": "FeatureCollection", "features": [', "is not valid JSON"),
        ("summary.json", b"", "summary.json is not valid JSON"),
    ],
)
def test_a_damaged_bundle_is_refused_by_vru_report_with_a_message(report_bundle, tmp_path, filename, content, message):
    """Exit 2 and a message naming the file, never a traceback (issue 9)."""
    from vru.cli import app

    bundle = tmp_path / "bundle"
    shutil.copytree(report_bundle, bundle)
    (bundle / filename).write_bytes(content)
    result = CliRunner().invoke(app, ["report", "--bundle", str(bundle), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    # Rich wraps long lines anywhere, even inside a path: compare without white space.
    assert "".join(message.split()) in "".join(result.output.split()) and "Traceback" not in result.output
    assert not (tmp_path / "out" / "report.html").exists()


def test_an_out_that_is_a_file_is_refused_by_vru_report_with_a_message(report_bundle, tmp_path):
    """Exit 2 and a message, never a traceback, and the file is left as it was (issue 9)."""
    from vru.cli import app

    out = tmp_path / "report.html"
    out.write_text("not a folder")
    result = CliRunner().invoke(app, ["report", "--bundle", str(report_bundle), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "is a file, not a folder" in "".join(result.output.split("\n")) and "Traceback" not in result.output
    assert out.read_text() == "not a folder"


def test_the_demo_bundle_says_why_there_is_no_comparison(report, summary):
    """The demo extract holds B&NES only: the report shows the bundle's note instead of a comparison."""
    html = squash(unescape(report.html.read_text(encoding="utf-8")))
    assert not summary["comparison"]["complete"]
    assert "No comparison is shown. " + squash(summary["comparison"]["note"]) in html
    assert not (report.html.parent / "figure-comparison.svg").exists()


def test_each_section_returns_the_context_it_declares(report_bundle, tmp_path):
    """Each section module's build() returns exactly the keys its TypedDict declares (the templates' contract)."""
    import typing

    from vru.bundle import read_bundle
    from vru.report.context import SECTION_BUILDERS
    from vru.report.sections.common import Common, Registry

    bundle = read_bundle(report_bundle)
    common, registry = Common.from_bundle(bundle), Registry(tmp_path)
    for name, build in SECTION_BUILDERS.items():
        declared = typing.get_type_hints(build)["return"]
        value = build(bundle, registry, common)
        if not typing.is_typeddict(declared):
            assert isinstance(value, typing.get_origin(declared) or declared), name
            continue
        keys = set(declared.__annotations__)
        assert set(value) <= keys, f"{name}: keys not declared: {set(value) - keys}"
        assert declared.__required_keys__ <= set(value), f"{name}: missing {declared.__required_keys__ - set(value)}"


def test_the_risk_factor_chapters_carry_the_partner_figures_and_their_sources(report, pdf_pages, summary, demo_data):
    """B&NES against England and its DfE statistical neighbours: figures equal the demo LAIT file read here with
    pyarrow; a year the publisher withheld shows its mark; the executive summary names a factor that stands out."""
    import pyarrow.parquet as pq

    text = squash(" ".join(pdf_pages))
    assert "7. Risk and protective factors" in text and "8. Who is affected" in text
    lait = pq.read_table(demo_data / "partner_la/lait/bds_long_0.parquet").to_pandas()
    banes = lait[lait["LA Number"] == 800].set_index(["Short Desc", "Years"])["Values"]
    assert f"2023/24 {float(banes[('TotFixedEx', '2023/24')]):.2f}" in text  # suspensions, e.g. 13.03
    assert f"2024 {float(banes[('FirstYJS', '2024')]):.2f}" in text  # first-time entrants, 89.00
    assert banes[("FirstYJS", "2021")] == "-" and "2021 - (not available or suppressed)" in text
    standouts = summary["partner_factors"]["standouts"]
    assert standouts and all(factor["stands_out"] and factor["adjusted_p_value"] <= 0.05 for factor in standouts)
    partner_findings = [f for f in summary["findings"] if f["id"].startswith("partner-")]
    assert [f["id"] for f in partner_findings] == [f"partner-{factor['indicator']}" for factor in standouts]
    summary_pages = squash(" ".join(page for page in pdf_pages[:6]))
    assert squash(partner_findings[0]["text"]) in text and "statistical neighbours" in summary_pages
    assert "Department for Education: Local Authority Interactive Tool (LAIT) indicator bank" in text
    assert "York, Trafford, Hertfordshire" in text


def test_the_demo_report_says_it_has_no_partner_counts_by_neighbourhood_and_how_to_provide_them(report, summary):
    """The demo holds no real record-level partner data (the synthetic files are never in it): the chapter
    says so plainly, and how a partner provides it, with no partner-against-police table."""
    html = squash(unescape(report.html.read_text(encoding="utf-8")))
    assert not summary["partner_police"]["available"] and summary["partner_police"]["not_publishable"] == 0
    assert "Partner data against police records, by neighbourhood" in html
    assert "No partner data with counts by neighbourhood (LSOA) is loaded for this area" in html
    assert "How to provide it: An emergency department" in html
    assert "table-partner-police" not in html
