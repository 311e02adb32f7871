"""A profile's title, source and caveats are shown on public pages (the dashboard, the report): they cite
publications, never a repository or server path."""

from __future__ import annotations

import re

from vru.profiles import all_profiles

PATH = re.compile(r"(?:shared|docs|src|var|/work|/home)/[\w./-]+|\b[\w-]+\.(?:md|toml|csv|py)\b")


def test_profiles_name_publications_not_files():
    for profile in all_profiles().values():
        for text in [profile.title, profile.source, *profile.cannot_separate]:
            assert not PATH.search(text), (profile.name, text)


def test_the_path_pattern_finds_what_it_should():
    assert PATH.search("as agreed (shared/reference/domain-facts.md).")
    assert PATH.search("see docs/cost.md")
    assert not PATH.search("Home Office, Serious Violence Strategy, April 2018")
