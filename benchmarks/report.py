"""Report speed: HTML + PDF for the B&NES bundle.

Prints figures; asserts nothing. Target (issue "SNA report"): HTML and PDF for B&NES in at most 20 s. The
baselines, run in the same process, are WeasyPrint writing a one-page PDF from a small HTML page (its fixed
cost) and the HTML report alone; the ratio says how much the long document and its figures add.

Usage: .venv/bin/python benchmarks/report.py [--bundle var/bundle/E06000022] [--repeat 2]
(without --bundle it builds the B&NES bundle from the committed demo extract first, which is not timed)
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BANES = "E06000022"
ONE_PAGE = (
    "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>Baseline</title></head><body>"
    "<h1>One page</h1><p>A short paragraph of text, a table and nothing else.</p>"
    "<table><caption>Table</caption><tr><th scope='col'>A</th><th scope='col'>B</th></tr>"
    "<tr><td>1</td><td>2</td></tr></table></body></html>"
)


def build_bundle(out: Path) -> Path:
    from vru.assessment import assess
    from vru.profiles import get_profile
    from vru.warehouse import connect
    from vru.warehouse.ingest import ingest
    from vru.warehouse.partner import load_partner_tables
    from vru.warehouse.reference import load_reference

    demo = REPO / "data" / "demo"
    con = connect(out / "warehouse.duckdb")
    load_reference(con, [demo / "geography", demo / "deprivation", demo / "population", demo / "prices"])
    load_partner_tables(con, [demo / "recorded_crime", demo / "partner_la"])
    ingest(con, [demo / "police_uk"])
    assess(con, BANES, "2023-01", "2025-04", get_profile(), out / "bundle")
    con.close()
    return out / "bundle"


def timed(function) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", type=Path, help="an assessment bundle (default: build B&NES from data/demo)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the fastest is shown")
    args = parser.parse_args()
    (REPO / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vru-bench-report-", dir=REPO / "var") as scratch:
        scratch = Path(scratch)
        bundle = args.bundle or build_bundle(scratch)
        from weasyprint import HTML

        from vru.report import render_report

        # Warm-up: imports and font caches, so every run below measures the same work.
        render_report(bundle, scratch / "warm", ["html"], produced_on=date(2026, 1, 1))
        HTML(string=ONE_PAGE).write_pdf(scratch / "warm.pdf")

        def best(function):
            runs = [timed(function) for _ in range(args.repeat)]
            return min(runs, key=lambda run: run[0])

        one_page = best(lambda: HTML(string=ONE_PAGE).write_pdf(scratch / "one-page.pdf"))
        html_only = best(lambda: render_report(bundle, scratch / "html", ["html"], produced_on=date(2026, 1, 1)))
        both = best(lambda: render_report(bundle, scratch / "both", ["html", "pdf"], produced_on=date(2026, 1, 1)))
        result = both[2]
        print(f"bundle: {bundle}")
        print(f"report HTML + PDF: {both[0]:.2f} s wall, {both[1]:.2f} s CPU (target <= 20 s)")
        print(
            "  of which: "
            + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in result.seconds.items())
            + f"; {len(result.figures)} figures; {pages(result.pdf)} PDF pages; "
            f"PDF {result.pdf.stat().st_size / 1e6:.2f} MB"
        )
        print(f"baseline, HTML report alone (figures + HTML): {html_only[0]:.2f} s wall, {html_only[1]:.2f} s CPU")
        print(f"baseline, WeasyPrint one-page PDF: {one_page[0]:.3f} s wall")
        print(
            f"ratios: HTML + PDF / HTML alone = {both[0] / html_only[0]:.1f}; "
            f"PDF step / one-page PDF = {result.seconds['pdf'] / one_page[0]:.0f} "
            f"(per PDF page {result.seconds['pdf'] / pages(result.pdf) / one_page[0]:.1f})"
        )


if __name__ == "__main__":
    main()
