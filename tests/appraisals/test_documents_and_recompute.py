"""The plain-data documents for the PDF renderer (a filled-in form, a department's results),
recomputing a cycle in bulk, the empty templates page and the Chinese pages."""
from __future__ import annotations

import json

import pytest

from app.appraisals import flow, results, services
from app.appraisals.models import AppraisalCycle, AppraisalTemplate, KpiResult, Review
from app.appraisals.recompute import recompute_cycle
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import fill_manager, fill_self, review_of


def _plain(value) -> bool:
    """Only plain values (no ORM objects): what a PDF template may be given."""
    try:
        json.dumps(value, default=lambda v: v.isoformat())
    except TypeError:
        return False
    return True


def test_review_document_is_plain_and_complete(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review, actuals=("105000", "1.5"))
    flow.calibrate(review, "B", "校准", review.version, finalise=True)
    db.session.commit()
    document = results.review_document(services.get_review(review.id))
    assert _plain(document)
    assert document["employee"] == {"employee_no": "E002", "name": "张伟"} and document["reviewer"] == "王强"
    assert [(k["code"], k["actual"], k["self_actual"], k["attainment"]) for k in document["kpis"]] == [
        ("SALES", 105000, 110000, pytest.approx(105)), ("COMPLAINTS", 1.5, 1.5, pytest.approx(110))]
    assert document["competencies"][0]["manager_rating_label"] == "Exceeds expectations"
    assert document["scores"]["display"]["final"] == "95.9" and document["scores"]["band"] == "A"
    assert document["scores"]["calibrated_band"] == "B" and document["review"]["outcome"] == "Reward"
    assert [h["action"] for h in document["history"]][-1] == "Finalised"


def test_results_document_of_a_department(cycle, shop):
    for employee in (shop.zhang, shop.li):
        review = review_of(cycle, employee)
        fill_self(review)
        fill_manager(review)
    document = results.results_document(cycle, shop.ec)
    assert _plain(document)
    assert document["department"] == {"id": shop.ec.id, "name": "电商部"}
    assert document["summary"]["total"] == 4 and document["summary"]["by_step"]["HR calibration"] == 2
    assert [r["name"] for r in document["reviews"]][:2] == ["张伟", "李娜"] or \
        [r["name"] for r in document["reviews"]][:2] == ["李娜", "张伟"]
    assert document["reviews"][-1]["final_score"] is None  # unscored last
    assert sum(count for _band, count in document["summary"]["bands"]) == 2
    whole = results.results_document(cycle)
    assert whole["department"] is None and whole["summary"]["total"] == 5
    assert {d["name"] for d in whole["departments"]} == {"电商部", "人事部"}


def test_recomputing_a_cycle_restores_every_score(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    expected = (review.kpi_score, review.competency_score, review.final_score, review.band)
    table = Review.__table__
    db.session.execute(table.update().where(table.c.id == review.id).values(final_score=1, band="D", kpi_score=None))
    db.session.execute(KpiResult.__table__.update().values(attainment=None))
    db.session.commit()
    assert recompute_cycle(cycle) == 1
    db.session.commit()
    db.session.expire_all()
    review = review_of(cycle, shop.zhang)
    assert (review.kpi_score, review.competency_score, review.final_score, review.band) == pytest.approx(expected)
    assert all(r.attainment is not None for r in review.kpi_results)
    assert recompute_cycle(cycle) == 0  # nothing left to change


def test_pages_render_empty_and_in_chinese(app, shop, cycle):
    client = app.test_client()
    client.post("/login", data={"email": shop.hr_user.email, "password": factories.PASSWORD})
    db.session.execute(db.delete(Review))
    db.session.execute(db.delete(AppraisalCycle))
    db.session.execute(db.delete(AppraisalTemplate))
    db.session.commit()
    assert "70 %" in client.get("/appraisals/templates").get_data(as_text=True)
    employee = app.test_client()
    employee.post("/login", data={"email": shop.employee_user.email, "password": factories.PASSWORD})
    employee.post("/language", data={"lang": "zh_CN", "next": "/"})
    page = employee.get("/appraisals/").get_data(as_text=True)
    assert "我的考核" in page and "您还没有考核。" in page
