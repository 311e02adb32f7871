"""The cost of an area's violence in current prices, robbery included, with every figure's caveats beside it.

Builds on `vru.analysis.cost` (unit costs, the force-mix split) and `vru.analysis.prices` (the GDP
deflator uplift): the Home Office unit costs are in 2015/16 prices; by default they are uplifted to the
latest complete financial year of the loaded deflator, and the result says which. Robbery is counted
directly by police.uk, so it is costed at its own count, not a split. Flags travel with the figure they
change: the homicide component is imputed from the force's offence mix (not counted in the area), and
unit costs whose status is not "verified" are named with the share of the total that rests on them.
Pure functions, no I/O. docs/cost.md.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from vru.analysis import cost
from vru.analysis.prices import PriceUplift
from vru.analysis.records import json_safe

__all__ = ["cost_in_current_prices"]


def cost_in_current_prices(
    vso_count_by_period: Mapping[str, float],
    robbery_count: float,
    mix: cost.ForceMix,
    unit_costs: pd.DataFrame,
    price_uplift: PriceUplift | None,
    *,
    area_name: str = "the area",
) -> dict:
    """Low / central / high cost of 'Violence and sexual offences' (split by the force mix) plus robbery,
    in `price_uplift.to_year` prices (or the unit costs' own year, said plainly, when no deflator is loaded).

    Returns a JSON-safe dict: price_year, uplift, violence (low/central/high), robbery (count, unit cost,
    cost, status), total (low/central/high), flags [{figure, flag}], not_costed, assumptions.
    """
    deflator = (
        {}
        if price_uplift is None
        else {
            "deflator_ratio": price_uplift.ratio,
            "price_year": price_uplift.to_year,
            "deflator_source": price_uplift.method,
        }
    )
    violence = cost.estimate_cost_of_area_violence(
        dict(vso_count_by_period), mix, unit_costs, area_name=area_name, **deflator
    )
    robbery = cost.cost_of_offences({"robbery": float(robbery_count)}, unit_costs, **deflator)
    robbery_row = robbery.by_group.set_index("offence_group").iloc[0] if len(robbery.by_group) else None
    robbery_cost = float(robbery.total_gbp)
    central = violence.total_central_gbp + robbery_cost
    flags = []
    # What the homicide share contributes at the central estimate: imputed, not counted.
    homicide_cost = 0.0
    for split in violence.splits.values():
        shares = split.components.set_index("component")
        homicides = float(shares.loc["homicide", "central"])
        costed = cost.cost_of_offences({"homicide": homicides}, unit_costs, **deflator)
        homicide_cost += costed.total_gbp
    if homicide_cost:
        flags.append(
            {
                "figure": "violence",
                "flag": (
                    f"The estimate's homicide part is imputed from the force's offence mix, not counted in "
                    f"{area_name}: it makes {homicide_cost / central:.0%} of the central estimate (use the area's "
                    "actual homicides where known)."
                ),
            }
        )
    for group, status in violence.unit_cost_status.items():
        if str(status).strip().casefold() != "verified":
            flags.append(
                {
                    "figure": "violence",
                    "flag": f"The {group.replace('_', ' ')} unit cost is not verified against its source.",
                }
            )
    if robbery_row is not None and not bool(robbery_row["verified"]):
        flags.append({"figure": "robbery", "flag": "The robbery unit cost is not verified against its source."})
    if price_uplift is None:
        flags.append(
            {
                "figure": "total",
                "flag": f"In {violence.price_year} prices: no GDP deflator is loaded.",
            }
        )
    return json_safe(
        {
            "price_year": violence.price_year,
            "base_price_year": cost.BASE_PRICE_YEAR,
            "uplift": None if price_uplift is None else price_uplift.to_dict(),
            "violence": {
                "low": violence.total_low_gbp,
                "central": violence.total_central_gbp,
                "high": violence.total_high_gbp,
            },
            "robbery": {
                "count": float(robbery_count),
                "unit_cost_gbp": None if robbery_row is None else float(robbery_row["unit_cost_gbp"]),
                "cost_gbp": robbery_cost,
                "status": None if robbery_row is None else str(robbery_row["status"]),
                "uncosted": robbery.uncosted,
            },
            "total": {
                "low": violence.total_low_gbp + robbery_cost,
                "central": central,
                "high": violence.total_high_gbp + robbery_cost,
            },
            "homicide_imputed_gbp": homicide_cost,
            "flags": flags,
            "not_costed": violence.not_costed,
            "assumptions": violence.assumptions,
        }
    )
