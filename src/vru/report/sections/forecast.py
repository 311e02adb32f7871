"""Section 9, forecast and its back-test (templates/sections/forecast.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation import svg
from vru.presentation.formatting import (
    confidence_label,
    humanise,
    interval,
    month_name,
    number,
    percent,
    percent_value,
    period,
    thousands,
    yes_no,
)
from vru.report import alt_text
from vru.report.model import Figure, Table
from vru.report.sections.common import Common, Registry, profile_month_chart, strip_doc_refs


class ForecastContext(TypedDict):
    """What templates/sections/forecast.html.j2 prints as `forecast`."""

    reliable: bool
    coverage: str
    threshold: str
    mae: str
    mape: str
    horizon: str
    confidence: str
    training: str
    family: str
    simulations: str
    notes: list
    population_note: str
    chart: Figure | None
    backtest_table: Table


def build(bundle: Bundle, registry: Registry, common: Common) -> ForecastContext:
    summary = bundle.summary
    forecast = summary.get("forecast") or {}
    backtest = summary.get("backtest") or {}
    coverage = backtest.get("coverage")
    reliable = bool(backtest.get("reliable"))
    months = forecast.get("months") or []
    result = {
        "reliable": reliable,
        "coverage": percent(coverage),
        "threshold": percent(backtest.get("reliable_coverage")),
        "mae": number(backtest.get("mae"), 0),
        "mape": percent_value(backtest.get("mape"), 1),
        "horizon": thousands(forecast.get("horizon")),
        "confidence": confidence_label(forecast.get("confidence")).replace(" CI", ""),
        "training": period(
            backtest.get("training_first_month") or summary["period"]["from"],
            backtest.get("training_last_month") or summary["period"]["to"],
        ),
        "family": humanise(forecast.get("family")),
        "simulations": thousands(forecast.get("n_simulations")),
        "notes": [strip_doc_refs(note) for note in forecast.get("notes") or []],
        "population_note": forecast.get("population_note") or "",
        "chart": None,
    }
    if months:
        title = (
            f"Forecast for the next {thousands(len(months))} months: NOT RELIABLE (back-test "
            f"coverage {percent(coverage)})"
            if not reliable
            else f"Forecast for the next {thousands(len(months))} months with its prediction range"
        )
        lower = [row.get("lower") or 0 for row in months]
        upper = [row.get("upper") or 0 for row in months]
        alt = alt_text.forecast_chart(
            common.expected[-1], [row["month"] for row in months], lower, upper, reliable, coverage
        )
        table = Table(
            caption="Data for the chart: forecast months",
            columns=["Month", "Forecast (central)", f"{result['confidence']} prediction range"],
            rows=[
                [month_name(row["month"]), thousands(row.get("mean")), interval(row.get("lower"), row.get("upper"), 0)]
                for row in months
            ],
            numeric=[False, True, True],
            notes=[]
            if reliable
            else ["The central figure is printed for completeness only: the forecast is not reliable."],
        )
        figure = Figure(id="forecast", title=title, filename="figure-forecast.svg", alt=alt, table=table)
        figure.notes = [
            "The solid line is the observed count. "
            + (
                "The cross-hatched range is where the model puts the next months; it failed its back-test, so no "
                "forecast line is drawn."
                if not reliable
                else "The shaded range is the prediction range and the dashed line the central forecast."
            )
        ]
        result["chart"] = registry.figure(
            figure,
            profile_month_chart(
                common,
                id_prefix="forecast",
                title=title,
                alt=alt,
                forecast=svg.ForecastRange(
                    [row["month"] for row in months], lower, [row.get("mean") or 0 for row in months], upper, reliable
                ),
            ),
        )
    result["backtest_table"] = registry.table(
        Table(
            caption="Back-test: the model fitted up to "
            f"{month_name(backtest.get('training_last_month'))} against the months that followed",
            columns=["Month", "Actual", "Predicted", "Prediction range", "Inside the range"],
            rows=[
                [
                    month_name(row["month"]),
                    thousands(row.get("actual")),
                    thousands(row.get("predicted")),
                    interval(row.get("lower"), row.get("upper"), 0),
                    yes_no(row.get("inside")),
                ]
                for row in backtest.get("rows") or []
            ],
            numeric=[False, True, True, True, False],
        ),
        "table-backtest",
    )
    return result
