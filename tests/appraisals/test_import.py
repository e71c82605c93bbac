"""Bulk KPI actuals: every row's problem in the preview, nothing applied until the file is
clean and confirmed, then everything in one go."""

from __future__ import annotations

import io
import json

from markupsafe import escape
from openpyxl import Workbook

from app.appraisals import services
from app.appraisals.models import KpiResult
from app.appraisals.services import kpi_actuals
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import fill_manager, fill_self, review_of


def _client(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return client


def _upload(client, cycle, content: bytes, name="actuals.csv"):
    return client.post(
        f"/appraisals/cycles/{cycle.id}/import",
        data={"action": "preview", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_every_problem_is_listed_and_nothing_is_applied(app, cycle, shop):
    done = review_of(cycle, shop.li)
    fill_self(done)
    fill_manager(done)
    content = (
        "工号,指标代码,实际值\n"
        "E002,SALES,105000\n"
        "E999,SALES,1\n"  # unknown employee
        "E004,SALES,1\n"  # 赵敏 exists but has no review in this cycle
        "E002,NOPE,1\n"  # unknown KPI
        "E002,TURN,4\n"  # a quarterly KPI: not among this cycle's targets
        "E002,COMPLAINTS,abc\n"  # not a number
        "E002,SALES,106000\n"  # duplicate row
        "E003,SALES,-1\n"  # negative, and the review is past the manager review
        "E005,SALES,1\n"
    ).encode()
    response = _upload(_client(app, shop.hr_user), cycle, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="import-problems"' in page and 'data-testid="apply"' not in page
    rows = kpi_actuals.check(cycle, kpi_actuals.read_rows("a.csv", content))
    problems = {r.line: r.problem for r in rows}
    assert problems[2] == ""
    assert problems[3] == "Unknown employee number."
    assert problems[4] == "This employee has no review in this cycle."
    assert problems[5] == "Unknown KPI code."
    assert "not among the employee's targets" in problems[6]
    assert problems[7] == "Line 7, column C (actual): Enter a number."
    assert problems[8] == "Duplicate of line 2."
    assert "past the manager review" in problems[9]
    assert "not among" in problems[10]  # 孙丽 has no job description, so no KPI
    for problem in problems.values():
        assert str(escape(problem)) in page
    assert review_of(cycle, shop.zhang).kpi_results[0].actual is None


def test_a_clean_xlsx_is_applied_in_one_go_after_confirmation(app, cycle, shop):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["employee_no", "kpi", "actual"])
    sheet.append(["E002", "SALES", 110000])
    sheet.append(["E002", "complaints", 1.5])
    sheet.append(["E003", "SALES", 90000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    hr = _client(app, shop.hr_user)
    before = review_of(cycle, shop.zhang).version
    page = _upload(hr, cycle, buffer.getvalue(), "actuals.xlsx").get_data(as_text=True)
    assert 'data-testid="import-clean"' in page
    assert review_of(cycle, shop.zhang).kpi_results[0].actual is None  # the preview changes nothing
    payload = json.dumps(kpi_actuals.serialise(kpi_actuals.read_rows("a.xlsx", buffer.getvalue())))
    response = hr.post(f"/appraisals/cycles/{cycle.id}/import", data={"action": "apply", "rows": payload})
    assert response.status_code == 302
    zhang = review_of(cycle, shop.zhang)
    assert [r.actual for r in zhang.kpi_results] == [110000, 1.5]
    assert zhang.kpi_score == services.compute(zhang, services.cycle_settings(cycle)).kpi
    assert zhang.version > before  # an open form on this review now conflicts instead of overwriting
    assert review_of(cycle, shop.li).kpi_results[0].attainment == 50


def test_a_tampered_confirmation_is_checked_again(app, cycle, shop):
    hr = _client(app, shop.hr_user)
    payload = json.dumps([{"line": 2, "employee_no": "E002", "kpi": "SALES", "actual": "-5"}])
    response = hr.post(f"/appraisals/cycles/{cycle.id}/import", data={"action": "apply", "rows": payload})
    assert response.status_code == 422
    assert review_of(cycle, shop.zhang).kpi_results[0].actual is None
    response = hr.post(f"/appraisals/cycles/{cycle.id}/import", data={"action": "apply", "rows": "not json"})
    assert response.status_code == 422 and "Upload the file again." in response.get_data(as_text=True)


def test_files_that_are_not_tables_are_refused(app, cycle, shop):
    hr = _client(app, shop.hr_user)
    response = _upload(hr, cycle, b"PK\x03\x04 broken", "a.xlsx")
    assert response.status_code == 422 and "not a readable XLSX workbook" in response.get_data(as_text=True)
    response = _upload(hr, cycle, b"", "a.csv")
    assert response.status_code == 422 and "Choose a file." in response.get_data(as_text=True)
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(KpiResult).where(KpiResult.actual.is_not(None))) == 0
    )


def test_hr_cannot_import_actuals_into_their_own_review(app, cycle, shop):
    """shop.hr_user is 陈静 (E006), who has a review in the cycle: her own rows are refused."""
    assert review_of(cycle, shop.chen) is not None
    rows = kpi_actuals.check(
        cycle, kpi_actuals.read_rows("a.csv", b"employee_no,kpi,actual\nE006,SALES,999999\n"), shop.hr_user
    )
    assert rows[0].problem and "your own review" in rows[0].problem
    hr = _client(app, shop.hr_user)
    payload = json.dumps([{"line": 2, "employee_no": "E006", "kpi": "SALES", "actual": "999999"}])
    page = hr.post(
        f"/appraisals/cycles/{cycle.id}/import", data={"action": "apply", "rows": payload}, follow_redirects=True
    ).get_data(as_text=True)
    assert "have problems" in page
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(KpiResult)
            .where(KpiResult.review_id == review_of(cycle, shop.chen).id, KpiResult.actual.is_not(None))
        )
        == 0
    )
