"""The fetch manifest, OUT/.fetch-manifest.json: what `vru fetch` extracted and what it found published.

Apart from the downloader so that `vru ingest`, which reads the manifest's availability, does not import the
HTTP client.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".fetch-manifest.json"


class FetchError(Exception):
    """A download that cannot be completed; the message says which URL or file and what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class FetchManifest:
    """OUT/.fetch-manifest.json: what earlier runs extracted (with sha256) and what archives lacked."""

    path: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    absent: dict[str, list[str]] = field(default_factory=dict)
    # force -> month -> {published, reason, checked_at, newest_published, source}: what a fetch with the
    # availability check found about each month's street file (`vru ingest` carries it into the warehouse).
    availability: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> FetchManifest:
        path = out_dir / MANIFEST_NAME
        if not path.exists():
            return cls(path)
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            availability = dict(body.get("availability") or {})
            return cls(path, dict(body["files"]), dict(body["absent_from_archive"]), availability)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise FetchError(f"{path}: not a fetch manifest ({error}); delete it to fetch everything again") from error

    def save(self) -> None:
        body = {
            "format": 1,
            "files": self.files,
            "absent_from_archive": self.absent,
            "availability": self.availability,
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        temporary.replace(self.path)

    def is_complete(self, out_dir: Path, member: str, archive_filename: str) -> bool:
        """Whether the file is on disk, unchanged since it was extracted from this same archive."""
        entry = self.files.get(member)
        if entry is None or entry.get("archive") != archive_filename:
            return False
        on_disk = out_dir / member
        return (
            on_disk.is_file()
            and on_disk.stat().st_size == entry.get("bytes")
            and sha256_of(on_disk) == entry.get("sha256")
        )
