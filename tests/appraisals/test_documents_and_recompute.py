"""The plain-data documents for the PDF renderer (a filled-in form, a department's results),
recomputing a cycle in bulk, the empty templates page and the Chinese pages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.appraisals import services
from app.appraisals.models import AppraisalCycle, AppraisalTemplate, KpiResult, Review
from app.appraisals.services import flow, results
from app.appraisals.services.recompute import recompute_cycle
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import fill_manager, fill_self, review_of


def _plain(value) -> bool:
    """Only plain values (no ORM objects): what a PDF template may be given (numbers are exact
    Decimals)."""
    try:
        json.dumps(value, default=lambda v: str(v) if isinstance(v, Decimal) else v.isoformat())
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
        ("SALES", 105000, 110000, pytest.approx(105)),
        ("COMPLAINTS", 1.5, 1.5, pytest.approx(110)),
    ]
    assert document["competencies"][0]["manager_rating_label"] == "Exceeds expectations"
    assert document["scores"]["display"]["final"] == "95.9" and document["scores"]["band"] == "A"
    assert document["scores"]["calibrated_band"] == "B" and document["review"]["outcome"] == "Reward"
    assert [h["action"] for h in document["history"]][-1] == "Finalised"


def test_results_document_of_a_department(cycle, shop):
    for employee in (shop.zhang, shop.li):
        review = review_of(cycle, employee)
        fill_self(review)
        fill_manager(review)
    li = review_of(cycle, shop.li)
    flow.finalise(li, li.version)
    db.session.commit()
    document = results.results_document(cycle, shop.ec)
    assert _plain(document)
    assert document["department"] == {"id": shop.ec.id, "name": "电商部"}
    summary = document["summary"]
    assert summary["total"] == 4 and summary["by_step"]["HR calibration"] == 1 and summary["finalised"] == 1
    # only the finalised review is a result; 张伟's score (at calibration) is provisional
    assert sum(count for _band, count in summary["bands"]) == 1 == summary["scored"]
    assert sum(count for _label, count in summary["histogram"]) == 1 and summary["provisional"] == 1
    assert summary["average"] == pytest.approx(li.final_score)
    assert [(r["name"], r["provisional"]) for r in document["reviews"]][:2] == [("李娜", False), ("张伟", True)]
    assert document["reviews"][-1]["final_score"] is None  # unscored last
    assert document["departments"][0]["average"] == pytest.approx(li.final_score)
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
    version = review.version
    result = recompute_cycle(cycle)
    assert (result.changed, result.attainments, result.checked, result.skipped_finalised) == (1, 2, 5, 0)
    db.session.commit()
    db.session.expire_all()
    review = review_of(cycle, shop.zhang)
    assert (review.kpi_score, review.competency_score, review.final_score, review.band) == pytest.approx(expected)
    assert all(r.attainment is not None for r in review.kpi_results)
    assert review.version == version + 1  # a form opened before the recompute gets a conflict
    assert recompute_cycle(cycle).changed == 0  # nothing left to change


def test_recomputing_leaves_finalised_reviews_and_closed_cycles_alone_and_is_audited(cycle, shop):
    from app.appraisals.models import CycleStatus
    from app.audit.models import AuditEvent
    from app.core.errors import ServiceError

    done, open_ = review_of(cycle, shop.li), review_of(cycle, shop.zhang)
    for review in (done, open_):
        fill_self(review)
        fill_manager(review)
    flow.finalise(done, done.version)
    db.session.commit()
    table = Review.__table__
    db.session.execute(table.update().where(table.c.id.in_([done.id, open_.id])).values(final_score=1, band="D"))
    db.session.commit()
    versions = {done.id: done.version, open_.id: open_.version}
    result = recompute_cycle(cycle)
    db.session.commit()
    assert (result.changed, result.skipped_finalised) == (1, 1)
    db.session.expire_all()
    done, open_ = db.session.get(Review, done.id), db.session.get(Review, open_.id)
    assert (float(done.final_score), done.band, done.version) == (1.0, "D", versions[done.id])  # locked: untouched
    assert open_.final_score > 1 and open_.version == versions[open_.id] + 1
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "recompute")).one()
    assert (event.entity, event.entity_id) == ("appraisal_cycles", str(cycle.id))
    assert event.changes["reviews_changed"] == 1 and event.changes["finalised_left_alone"] == 1
    assert event.changes["changed_review_ids"] == [open_.id]
    # a closed cycle's results are final: refused, nothing changed
    db.session.execute(table.update().where(table.c.id == open_.id).values(final_score=2))
    cycle = db.session.get(AppraisalCycle, cycle.id)
    cycle.status = CycleStatus.CLOSED.value
    db.session.commit()
    with pytest.raises(ServiceError):
        recompute_cycle(cycle)
    db.session.rollback()
    assert float(db.session.get(Review, open_.id).final_score) == 2.0


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
