"""Published cost-of-violence claims to recompute (src/vru/reference_data/published_cost_claims.toml).

Each claim names its force, its period, the offence groups it costs and the published amount; `vru assess` checks
the claims of the assessed area's force with `vru.analysis.cost_claim.reproduce_claim`. Adding a claim is adding
an entry to the file: no force is named in code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from vru.errors import InputError

DEFAULT_CLAIMS = Path(__file__).resolve().parent.parent / "reference_data" / "published_cost_claims.toml"


@dataclass(frozen=True)
class CostClaim:
    id: str
    pfa_code: str
    pfa_name: str
    first_month: str
    last_month: str
    offence_groups: tuple[str, ...]
    published_gbp: float
    text: str
    rough_counts_per_month: dict[str, float] = field(default_factory=dict)
    rough_counts_in_period: dict[str, float] = field(default_factory=dict)


def read_cost_claims(path: Path = DEFAULT_CLAIMS) -> list[CostClaim]:
    """Every claim in the file. Raises InputError naming the claim and the missing key."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("claim", [])
    except tomllib.TOMLDecodeError as error:
        raise InputError(path, f"not valid TOML: {error}") from None
    claims = []
    for number, entry in enumerate(entries, start=1):
        try:
            claims.append(
                CostClaim(
                    id=entry["id"],
                    pfa_code=entry["pfa_code"],
                    pfa_name=entry["pfa_name"],
                    first_month=entry["from"],
                    last_month=entry["to"],
                    offence_groups=tuple(entry["offence_groups"]),
                    published_gbp=float(entry["published_gbp"]),
                    text=entry["text"],
                    rough_counts_per_month=dict(entry.get("rough_counts_per_month", {})),
                    rough_counts_in_period=dict(entry.get("rough_counts_in_period", {})),
                )
            )
        except KeyError as error:
            raise InputError(path, f"claim {number} has no {error.args[0]!r}") from None
    forces = [claim.pfa_code for claim in claims]
    if len(forces) != len(set(forces)):
        # The bundle holds one recomputed claim per force (cost.headline_check).
        raise InputError(path, "two claims for one force: keep one per force")
    return claims


def claims_for_force(pfa_code: str, path: Path = DEFAULT_CLAIMS) -> list[CostClaim]:
    return [claim for claim in read_cost_claims(path) if claim.pfa_code == pfa_code]
