"""portal.core.finders.VendorFileFinder: single files from node_modules, by static path."""

from __future__ import annotations

from portal.core.finders import VendorFileFinder


def test_finds_and_lists_only_the_named_files(settings, tmp_path):
    script = tmp_path / "library.min.js"
    script.write_text("export const x = 1")
    (tmp_path / "font.woff2").write_bytes(b"not served")
    settings.PORTAL_VENDOR_STATIC_FILES = {"library/library.min.js": script}
    finder = VendorFileFinder()

    assert finder.find("library/library.min.js") == str(script)
    assert finder.find("library/library.min.js", find_all=True) == [str(script)]
    assert finder.find("library/font.woff2") is None
    assert finder.find("library/font.woff2", find_all=True) == []
    listed = [(storage.prefix, path) for path, storage in finder.list(None)]
    assert listed == [("library", "library.min.js")]
    assert finder.check() == []


def test_check_reports_a_missing_file_and_a_renamed_one(settings, tmp_path):
    existing = tmp_path / "real-name.js"
    existing.write_text("")
    settings.PORTAL_VENDOR_STATIC_FILES = {
        "library/missing.js": tmp_path / "missing.js",
        "library/other-name.js": existing,
    }
    finder = VendorFileFinder()
    assert sorted(problem.id for problem in finder.check()) == ["portal.E001", "portal.W001"]
    assert [path for path, _ in finder.list(None)] == ["real-name.js"]
