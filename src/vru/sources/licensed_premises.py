"""Licensed premises, for the night-time economy: points with coordinates.

Supported: the "Open Pubs" file (GetTheData, derived from Food Standards Agency hygiene ratings and ONS
postcodes; columns fsa_id, name, address, postcode, easting, northing, latitude, longitude, local
authority), as in the Bath: Hacked datastore's B&NES extract. Premises registers without coordinates (the
council's premises licence extract has postcodes only) are not supported: they would need a postcode
lookup this toolkit does not ship.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from vru.errors import InputError

OPEN_PUBS_COLUMNS = ("fsa_id", "name", "address", "postcode", "easting", "northing", "latitude", "longitude")


def read_open_pubs(path: str | Path) -> pd.DataFrame:
    """name, postcode, latitude, longitude per premises; rows without coordinates are dropped and counted
    in the frame's attrs['rows_without_coordinates']."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader, [])]
            for column in OPEN_PUBS_COLUMNS:
                if column not in header:
                    raise InputError(path, f"not an Open Pubs file: no column {column!r}", line=1, column=column)
            rows, without = [], 0
            for values in reader:
                row = dict(zip(header, values, strict=False))
                try:
                    latitude, longitude = float(row["latitude"]), float(row["longitude"])
                except ValueError:
                    without += 1
                    continue
                rows.append((row["name"], row["postcode"], latitude, longitude))
    except UnicodeDecodeError as error:
        raise InputError(path, f"not UTF-8 text (byte {error.start})") from None
    frame = pd.DataFrame(rows, columns=["name", "postcode", "latitude", "longitude"])
    frame.attrs["rows_without_coordinates"] = without
    return frame
