"""Named, versioned serious-violence definitions over police.uk categories (and recorded-crime groups).

Each profile is a TOML file in this folder. A profile lists what it counts and, just as important, what
police.uk cannot separate, so no output pretends it can. Change a definition by adding a new version.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from vru.sources.police_uk import CRIME_TYPES

PROFILE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    title: str
    source: str
    police_uk_categories: tuple[str, ...]
    recorded_crime_groups: tuple[str, ...]
    cannot_separate: tuple[str, ...]
    default: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "title": self.title,
            "source": self.source,
            "police_uk_categories": list(self.police_uk_categories),
            "recorded_crime_groups": list(self.recorded_crime_groups),
            "cannot_separate": list(self.cannot_separate),
        }


class UnknownProfile(ValueError):
    pass


def _read(path: Path) -> Profile:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data["police_uk_categories"]) - CRIME_TYPES
    if unknown:
        raise ValueError(f"{path.name}: not police.uk categories: {sorted(unknown)}")
    return Profile(
        name=data["name"],
        version=int(data["version"]),
        title=data["title"],
        source=data["source"],
        police_uk_categories=tuple(data["police_uk_categories"]),
        recorded_crime_groups=tuple(data.get("recorded_crime_groups", ())),
        cannot_separate=tuple(data["cannot_separate"]),
        default=bool(data.get("default", False)),
    )


def all_profiles() -> dict[str, Profile]:
    profiles = {}
    for path in sorted(PROFILE_DIR.glob("*.toml")):
        profile = _read(path)
        if profile.name != path.stem:
            raise ValueError(f"{path.name}: name {profile.name!r} must match the file name")
        profiles[profile.name] = profile
    return profiles


def get_profile(name: str | None = None) -> Profile:
    """The named profile, or the default one (the Avon and Somerset partnership's)."""
    profiles = all_profiles()
    if name is None:
        defaults = [profile for profile in profiles.values() if profile.default]
        if len(defaults) != 1:
            raise ValueError(f"exactly one profile must be the default, found {len(defaults)}")
        return defaults[0]
    if name not in profiles:
        raise UnknownProfile(f"no profile {name!r}; known: {', '.join(sorted(profiles))}")
    return profiles[name]
