"""The review flow through the services: each step, its bad input refused with the field named
and nothing changed, stale versions refused, and the lock after finalisation."""

from __future__ import annotations

import pytest

from app.appraisals.services import flow
from app.audit.models import AuditEvent
from app.core.errors import Conflict, ServiceError
from app.extensions import db
from tests.appraisals.conftest import fill_manager, fill_self, review_of


def _step(review, **kwargs):
    return flow.StepData(**kwargs)


def test_a_review_goes_through_every_step(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review, actuals=("110000", "1.5"), ratings=("3", "2"))
    assert review.status == "manager_review" and review.self_submitted_at is not None
    # sales 110,000: half-way to the stretch → 110; complaints 1.5 %: half-way to the stretch 1 % → 110
    assert [r.attainment for r in review.kpi_results] == [pytest.approx(110), pytest.approx(110)]
    assert review.kpi_score == pytest.approx(110) and review.competency_score is None  # no manager rating yet
    fill_manager(review, ratings=("4", "3"), actuals=("105000", "1.5"))
    assert review.status == "calibration" and review.kpi_results[0].self_actual == 110000
    assert review.kpi_results[0].actual == 105000 and review.kpi_results[0].attainment == pytest.approx(105)
    # KPI (105 × 60 + 110 × 40) / 100 = 107; competencies 100 × (4 + 3) / 2 / 5 = 70; final 107 × .7 + 70 × .3
    assert review.kpi_score == pytest.approx(107) and review.competency_score == pytest.approx(70)
    assert review.final_score == pytest.approx(95.9) and review.band == "A"
    flow.calibrate(review, "B", "与部门整体水平校准。", review.version, finalise=True)
    db.session.commit()
    assert review.status == "finalised" and review.calibrated_band == "B" and review.effective_band == "B"
    assert review.band == "A"  # the computed band is kept beside the calibrated one
    flow.acknowledge(review, review.version)
    db.session.commit()
    assert review.acknowledged_at is not None
    assert [e.action for e in review.events] == [
        "self_submitted",
        "manager_submitted",
        "calibrated",
        "finalised",
        "acknowledged",
    ]
    audited = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "appraisal_reviews", AuditEvent.entity_id == str(review.id))
    ).all()
    assert any("calibrated_band" in (e.changes or {}) for e in audited)


def test_the_employee_and_the_manager_each_keep_their_own_comments(cycle, shop):
    review = review_of(cycle, shop.zhang)
    flow.save_self_review(
        review,
        flow.StepData(
            kpis=[{"id": r.id, "actual": "100", "comment": f"自评{r.code}"} for r in review.kpi_results],
            ratings=[{"id": r.id, "rating": "3", "comment": f"我的能力{r.code}"} for r in review.ratings],
        ),
        review.version,
        submit=True,
    )
    db.session.commit()
    flow.save_manager_review(
        review,
        flow.StepData(
            kpis=[{"id": r.id, "comment": f"主管{r.code}"} for r in review.kpi_results],
            ratings=[{"id": r.id, "rating": "4", "comment": f"主管看能力{r.code}"} for r in review.ratings],
        ),
        review.version,
    )
    db.session.commit()
    db.session.expire_all()
    review = review_of(cycle, shop.zhang)
    assert review.ratings and review.kpi_results
    assert [(r.employee_comment, r.manager_comment) for r in review.ratings] == [
        (f"我的能力{r.code}", f"主管看能力{r.code}") for r in review.ratings
    ]
    assert [(r.employee_comment, r.manager_comment) for r in review.kpi_results] == [
        (f"自评{r.code}", f"主管{r.code}") for r in review.kpi_results
    ]


@pytest.mark.parametrize(
    "actual, message",
    [
        ("很多", "Enter a number."),
        ("-5", "cannot be negative"),
        ("nan", "Enter a number."),
        ("1e20", "without an exponent"),
        ("1,5", "ambiguous"),
        ("123456789012345", "14 digits"),
    ],
)
def test_bad_actuals_are_refused_next_to_the_field_and_nothing_changes(cycle, shop, actual, message):
    review = review_of(cycle, shop.zhang)
    version = review.version
    with pytest.raises(ServiceError) as error:
        flow.save_self_review(
            review,
            _step(
                review,
                kpis=[
                    {"id": review.kpi_results[0].id, "actual": actual},
                    {"id": review.kpi_results[1].id, "actual": "1"},
                ],
                comment="变了",
            ),
            version,
        )
    db.session.rollback()
    assert message in error.value.errors["kpis.0.actual"][0]
    review = review_of(cycle, shop.zhang)
    assert review.kpi_results[1].actual is None and review.self_comment == "" and review.version == version


def test_numbers_are_read_leniently(cycle, shop):
    review = review_of(cycle, shop.zhang)
    flow.save_self_review(
        review,
        _step(
            review,
            kpis=[
                {"id": review.kpi_results[0].id, "actual": "1,050,000"},
                {"id": review.kpi_results[1].id, "actual": " 2.5% "},
            ],
        ),
        review.version,
    )
    assert [r.actual for r in review.kpi_results] == [1050000, 2.5]


def test_ratings_outside_the_scale_are_refused(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    for bad in ("6", "0", "2.5", "x"):
        with pytest.raises(ServiceError) as error:
            flow.save_manager_review(
                review, _step(review, ratings=[{"id": review.ratings[0].id, "rating": bad}]), review.version
            )
        db.session.rollback()
        assert "ratings.0.rating" in error.value.errors
        review = review_of(cycle, shop.zhang)
        assert review.ratings[0].manager_rating is None


def test_submitting_needs_everything_and_only_once(cycle, shop):
    review = review_of(cycle, shop.zhang)
    with pytest.raises(ServiceError) as error:
        flow.save_self_review(review, _step(review), review.version, submit=True)
    db.session.rollback()
    assert {"kpis.0.actual", "kpis.1.actual", "ratings.0.rating"} <= set(error.value.errors)
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    with pytest.raises(ServiceError, match="already submitted"):
        flow.save_self_review(review, _step(review), review.version, submit=True)
    db.session.rollback()
    review = review_of(cycle, shop.zhang)
    with pytest.raises(ServiceError) as error:
        flow.save_manager_review(review, _step(review, outcome="fire"), review.version, submit=True)
    assert "outcome" in error.value.errors


def test_a_stale_version_is_refused(cycle, shop):
    review = review_of(cycle, shop.zhang)
    stale = review.version
    flow.save_self_review(review, _step(review, comment="first"), stale)
    db.session.commit()
    with pytest.raises(Conflict):
        flow.save_self_review(review, _step(review, comment="second"), stale)
    db.session.rollback()
    assert review_of(cycle, shop.zhang).self_comment == "first"


def test_finalised_reviews_are_locked_until_hr_reopens_them_with_a_reason(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    with pytest.raises(ServiceError) as error:
        flow.calibrate(review, "C", "", review.version)
    assert "reason" in error.value.errors
    db.session.rollback()
    review = review_of(cycle, shop.zhang)
    flow.finalise(review, review.version)
    db.session.commit()
    with pytest.raises(ServiceError, match="finalised and locked"):
        flow.save_manager_review(review, _step(review, comment="改"), review.version)
    db.session.rollback()
    review = review_of(cycle, shop.zhang)
    with pytest.raises(ServiceError) as error:
        flow.reopen(review, "manager_review", "  ", review.version)
    assert "reason" in error.value.errors
    db.session.rollback()
    review = review_of(cycle, shop.zhang)
    flow.reopen(review, "manager_review", "员工申诉，复核销售额。", review.version)
    db.session.commit()
    assert review.status == "manager_review" and review.finalised_at is None
    assert review.events[-1].action == "reopened" and "申诉" in review.events[-1].comment


def test_acknowledging_twice_is_refused(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    flow.finalise(review, review.version)
    flow.acknowledge(review, review.version)
    db.session.commit()
    with pytest.raises(ServiceError, match="already acknowledged"):
        flow.acknowledge(review, review.version)


def test_a_review_without_job_description_is_scored_on_what_exists(cycle, shop):
    review = review_of(cycle, shop.sun)
    assert review.kpi_results == [] and review.ratings == []
    fill_self(review, actuals=(), ratings=())
    fill_manager(review, ratings=(), outcome="no_action")
    assert review.final_score is None and review.status == "calibration"
    with pytest.raises(ServiceError) as refused:  # nothing to score: HR finalises only with a reason
        flow.finalise(review, review.version)
    assert "reason" in refused.value.errors and review.status == "calibration"
    flow.finalise(review, review.version, "岗位说明书尚未发布，本期不评分。")
    assert review.status == "finalised" and review.is_finalised_without_score
    assert review.unscored_reason == "岗位说明书尚未发布，本期不评分。"
    assert review.events[-1].action == "finalised_without_score" and "尚未发布" in review.events[-1].comment


def test_reopening_clears_the_calibration_and_keeps_it_in_the_history(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    flow.calibrate(review, "C", "与部门整体水平校准。", review.version, finalise=True)
    db.session.commit()
    computed = review.band
    flow.reopen(review, "calibration", "复核。", review.version)
    db.session.commit()
    review = review_of(cycle, shop.zhang)
    # the calibration was of the result that was reopened: HR calibrates again
    assert review.calibrated_band is None and review.calibration_reason == "" and review.band == computed
    assert review.effective_band == computed
    cleared = review.events[-1]
    assert cleared.action == "calibration_cleared" and "C" in cleared.comment and "整体水平" in cleared.comment
    audited = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "appraisal_reviews", AuditEvent.entity_id == str(review.id))
    ).all()
    assert any((e.changes or {}).get("calibrated_band", [None])[0] == "C" for e in audited)
    # a review reopened without calibration gets no such event
    flow.finalise(review, review.version)
    db.session.commit()
    flow.reopen(review, "manager_review", "再次复核。", review.version)
    db.session.commit()
    assert review.events[-1].action == "reopened"


def test_reasons_longer_than_a_comment_are_refused_at_the_reason(cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    too_long = "理" * (flow.MAX_COMMENT + 1)
    with pytest.raises(ServiceError) as error:
        flow.calibrate(review, "C", too_long, review.version)
    assert list(error.value.errors) == ["reason"] and "5001" in error.value.errors["reason"][0]
    db.session.rollback()
    review = review_of(cycle, shop.zhang)
    flow.finalise(review, review.version)
    db.session.commit()
    with pytest.raises(ServiceError) as error:
        flow.reopen(review, "calibration", too_long, review.version)
    assert list(error.value.errors) == ["reason"] and "5001" in error.value.errors["reason"][0]
    db.session.rollback()
    assert review_of(cycle, shop.zhang).is_finalised
