"""The report's status line: a draft for the board by default; an approved version names its date and approver
and never carries the draft's wording; an incomplete approval is refused."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from vru.cli import app
from vru.report.status import DRAFT, ReportStatus, StatusError


def test_the_draft_says_it_is_not_for_publication():
    assert DRAFT.cover_text.endswith("not for publication until the board has reviewed it.")
    assert DRAFT.label == "Draft for the partnership board"


def test_an_approved_version_carries_the_approval_and_none_of_the_drafts_words():
    status = ReportStatus.approved(date(2027, 3, 2), "  april   (Assessment approver) ", 2)
    words = " ".join([status.label, status.cover_heading, status.cover_text, status.footer_css]).lower()
    assert status.cover_heading == "Status: version 2, approved for publication on 2 March 2027."
    assert status.cover_text == "Approved by april (Assessment approver)."
    assert "not for publication" not in words and "draft" not in words


def test_the_footer_is_a_css_string_no_name_can_break_out_of():
    status = ReportStatus.approved(date(2027, 3, 2), 'A "quoted" name \\ </style><script>', None)
    assert status.footer_css == '"Approved for publication on 2 March 2027"'
    assert ReportStatus.approved(date(2027, 3, 2), "x", 1).footer_css.count('"') == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"approved_on": date(2027, 3, 2)}, "must say who approved it"),
        ({"approved_by": "april"}, "a draft has no approver"),
        ({"approved_on": date(2027, 3, 2), "approved_by": "april", "version": 0}, "1 or more"),
    ],
)
def test_an_incomplete_approval_is_refused(kwargs, message):
    with pytest.raises(StatusError, match=message):
        ReportStatus(**kwargs)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--status", "approved", "--approved-by", "april"], "needs --approved-on"),
        (["--status", "approved", "--approved-on", "2 March", "--approved-by", "april"], "not a date"),
        (["--status", "approved", "--approved-on", "2027-03-02"], "who approved it"),
        (["--approved-on", "2027-03-02"], "go with --status approved"),
    ],
)
def test_the_command_refuses_an_incomplete_approval_before_reading_anything(tmp_path, options, message):
    result = CliRunner().invoke(app, ["report", "--bundle", str(tmp_path), "--out", str(tmp_path / "out"), *options])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()
