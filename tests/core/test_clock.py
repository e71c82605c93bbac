"""One "today": the company's time zone (ROLEBOOK_TIMEZONE, default Asia/Shanghai) decides the
calendar day of every page, PDF, export and deadline, tested with the clock stopped around
midnight; stored times are shown in local time."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.appraisals import services
from app.appraisals.services import flow
from app.audit.services import list_events, record
from app.core import clock
from app.core.spreadsheets import safe_cell
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import cycle, fill_manager, fill_self, review_of, shop  # noqa: F401 (fixtures)

# 23:30 UTC on 6 December is 07:30 on 7 December in Beijing
BEFORE_EIGHT_IN_BEIJING = datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)


def test_today_is_the_company_day_not_the_server_day(app):
    with app.app_context():
        with clock.frozen(datetime(2026, 12, 6, 15, 59, 59, tzinfo=timezone.utc)):
            assert clock.today() == date(2026, 12, 6)  # 23:59:59 in Beijing
        with clock.frozen(datetime(2026, 12, 6, 16, 0, tzinfo=timezone.utc)):
            assert clock.today() == date(2026, 12, 7)  # midnight in Beijing
            assert clock.local().isoformat() == "2026-12-07T00:00:00+08:00"
            assert clock.now() == datetime(2026, 12, 6, 16, 0, tzinfo=timezone.utc)
        assert clock.day_start(date(2026, 12, 7)) == datetime(2026, 12, 6, 16, 0, tzinfo=timezone.utc)


def test_the_time_zone_is_a_setting(make_app):
    other = make_app(TIMEZONE="Europe/Berlin")
    with other.app_context(), clock.frozen(BEFORE_EIGHT_IN_BEIJING):
        assert clock.today() == date(2026, 12, 7)  # 00:30 in Berlin
        assert other.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Berlin"
    utc = make_app(TIMEZONE="UTC")
    with utc.app_context(), clock.frozen(BEFORE_EIGHT_IN_BEIJING):
        assert clock.today() == date(2026, 12, 6)


def test_an_unknown_time_zone_stops_the_start_with_a_clear_message(make_app):
    with pytest.raises(ValueError, match="ROLEBOOK_TIMEZONE"):
        make_app(TIMEZONE="Mars/Olympus_Mons")


def test_nothing_reads_the_server_clock_but_the_clock_module():
    root = Path(__file__).resolve().parents[2] / "app"
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if path.name != "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"date\.today\(|datetime\.(utc)?now\(|datetime\.today\(|time\.time\(", line)
    ]
    assert offenders == []


def test_spreadsheet_times_are_local(app):
    with app.app_context():
        assert safe_cell(datetime(2026, 12, 6, 23, 30, 12, 345, tzinfo=timezone.utc)) == datetime(
            2026, 12, 7, 7, 30, 12
        )


def test_headcount_acknowledgement_export_and_manual_agree_before_eight_in_beijing(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    with clock.frozen(BEFORE_EIGHT_IN_BEIJING):
        flow.calibrate(review, "B", "与部门整体水平校准。", review.version, finalise=True)
        flow.acknowledge(review, review.version)
        db.session.commit()
        hr = factories.logged_in_client(app, shop.hr_user)
        headcount = hr.get("/org/headcount").get_data(as_text=True)
        assert "as of Dec 7, 2026" in headcount
        employee = factories.logged_in_client(app, shop.employee_user)
        page = employee.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
        assert "You acknowledged this result on Dec 7, 2026, 7:30:00" in page
        export = hr.get(f"/appraisals/cycles/{cycle.id}/export.xlsx")
        assert "2026-12-07.xlsx" in export.headers["Content-Disposition"]
        rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
        acknowledged = rows[0].index("Acknowledged")
        assert next(r for r in rows if r[0] == "E002")[acknowledged] == datetime(2026, 12, 7, 7, 30)
        text = hr.get(f"/appraisals/cycles/{cycle.id}/export.csv").data.decode("utf-8-sig")
        assert "2026-12-07 07:30:00" in text and "23:30" not in text
        chinese = factories.logged_in_client(app, shop.hr_user, "zh_CN").get("/org/headcount").get_data(as_text=True)
        assert "2026年12月7日" in chinese
        from app.documents.manual import build_context

        assert build_context(None, "en")["printed"] == "2026-12-07"


def test_deadlines_turn_at_midnight_in_the_company_time_zone(cycle, shop):
    review = review_of(cycle, shop.zhang)  # self-review due 20 November
    with clock.frozen(datetime(2026, 11, 20, 15, 59, tzinfo=timezone.utc)):  # 23:59 in Beijing
        assert not services.is_overdue(review)
    with clock.frozen(datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)):  # 21 November has begun
        assert services.is_overdue(review)


def test_audit_filters_take_company_days(ctx):
    with clock.frozen(BEFORE_EIGHT_IN_BEIJING):
        record("backup", "backup")
        db.session.commit()
    on_the_7th = list(db.session.scalars(list_events(since=date(2026, 12, 7), until=date(2026, 12, 7))))
    on_the_6th = list(db.session.scalars(list_events(since=date(2026, 12, 6), until=date(2026, 12, 6))))
    assert len(on_the_7th) == 1 and on_the_6th == []
