"""A static files finder for single files from node_modules (see PORTAL_VENDOR_STATIC_FILES in settings)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error, Warning
from django.core.files.storage import FileSystemStorage


class VendorFileFinder(BaseFinder):
    """Finds the files named in settings.PORTAL_VENDOR_STATIC_FILES ({static path: file on disk}).

    Django's FileSystemFinder can only serve whole directories; this serves exactly the files the pages
    use, so collectstatic copies nothing else from node_modules.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.files = {static_path: Path(source) for static_path, source in settings.PORTAL_VENDOR_STATIC_FILES.items()}

    def check(self, **kwargs) -> list[Error | Warning]:
        problems: list[Error | Warning] = []
        for static_path, source in self.files.items():
            if PurePosixPath(static_path).name != source.name:
                # list() hands collectstatic the file under its own name.
                problems.append(Error(f"{static_path} must keep the file name of {source}.", id="portal.E001"))
            if not source.is_file():
                problems.append(
                    Warning(
                        f"{source} does not exist, so {static_path} cannot be served.",
                        hint="Install the npm packages: `npm ci` (scripts/setup.sh does this).",
                        id="portal.W001",
                    )
                )
        return problems

    def find(self, path: str, find_all: bool = False, **kwargs):
        source = self.files.get(path)
        found = [str(source)] if source is not None and source.is_file() else []
        if find_all:
            return found
        return found[0] if found else None

    def list(self, ignore_patterns):
        for static_path, source in self.files.items():
            if not source.is_file():
                continue
            storage = FileSystemStorage(location=source.parent)
            # collectstatic and WhiteNoise put a storage's files under its `prefix`.
            folder = str(PurePosixPath(static_path).parent)
            storage.prefix = None if folder == "." else folder
            yield source.name, storage
