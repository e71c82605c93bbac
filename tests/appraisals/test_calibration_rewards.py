"""Issue 18, points 5, 7 and 8: the calibration page against the template's guideline, the
payroll export of a closed cycle, and the lists of promotion candidates and probation reviews."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from app.appraisals import services
from app.appraisals.models import AppraisalTemplate, Review
from app.appraisals.services import calibration, exclusions, flow, followup, launch, rewards
from app.appraisals.services.templates import clean_settings
from app.audit.models import AuditEvent
from app.core.errors import ServiceError
from app.extensions import db
from tests.appraisals.conftest import fill_manager, fill_self, make_cycle, review_of
from tests.factories import logged_in_client

PRACTICE = {
    "A": {"guide_max": "20", "bonus": "1.5", "salary_raise": "8"},
    "B": {"guide_max": "60", "bonus": "1.2", "salary_raise": "5"},
    "C": {"bonus": "1", "salary_raise": "2.5"},
    "D": {"guide_min": "5", "bonus": "0.5", "salary_raise": "0"},
}


def _with_practice(practice=PRACTICE) -> AppraisalTemplate:
    template = services.default_template()
    data = services.template_data(template)
    data["bands"] = [{**band, **practice.get(band["band"], {})} for band in data["bands"]]
    services.update_template(template, data, template.version)
    db.session.commit()
    return template


@pytest.fixture
def practised(shop):
    """November for the whole shop, launched with the guideline and rewards; 张伟 and 李娜 at
    calibration (both band A: 110 KPI, ratings 4/3)."""
    _with_practice()
    cycle = make_cycle()
    launch.launch_cycle(cycle)
    db.session.commit()
    for employee in (shop.zhang, shop.li):
        review = review_of(cycle, employee)
        fill_self(review)
        fill_manager(review, ratings=("5", "5"), outcome="promotion_candidate")
    return cycle


# --- the guideline and rewards on the template ------------------------------------------------------


def test_the_template_keeps_guideline_and_rewards_as_typed(ctx, shop):
    template = _with_practice()
    bands = {b["band"]: b for b in template.bands}
    assert bands["A"] == {"band": "A", "min": 90, "guide_max": "20", "bonus": "1.5", "salary_raise": "8"}
    assert bands["C"]["salary_raise"] == "2.5" and "guide_min" not in bands["C"]  # unset: not stored


@pytest.mark.parametrize(
    ("practice", "path", "words"),
    [
        ({"A": {"guide_min": "60"}, "D": {"guide_min": "50"}}, "bands", "more than 100"),
        (
            {"A": {"guide_max": "10"}, "B": {"guide_max": "10"}, "C": {"guide_max": "10"}, "D": {"guide_max": "10"}},
            "bands",
            "under 100",
        ),
        ({"A": {"guide_min": "30", "guide_max": "20"}}, "bands.0.guide_max", "cannot be below"),
        ({"A": {"guide_max": "101"}}, "bands.0.guide_max", "from 0 to 100"),
        ({"B": {"bonus": "-1"}}, "bands.1.bonus", "from 0 to 99"),
        ({"B": {"bonus": "1,5"}}, "bands.1.bonus", ""),
        ({"C": {"salary_raise": "abc"}}, "bands.2.salary_raise", ""),
        ({"C": {"salary_raise": "2.555"}}, "bands.2.salary_raise", "decimal places"),
    ],
)
def test_a_guideline_or_reward_that_cannot_be_is_refused_at_its_field(ctx, shop, practice, path, words):
    template = services.default_template()
    db.session.commit()
    before = [dict(b) for b in template.bands]
    with pytest.raises(ServiceError) as refused:
        _with_practice(practice)
    db.session.rollback()
    assert path in refused.value.errors and words in " ".join(refused.value.errors[path])
    assert db.session.get(AppraisalTemplate, template.id).bands == before


def test_a_band_row_with_only_a_reward_is_not_dropped(ctx, shop):
    data = services.template_data(services.default_template())
    data["bands"].append({"band": "", "min": "", "bonus": "2"})
    with pytest.raises(ServiceError) as refused:
        clean_settings(data)
    assert "bands.4.band" in refused.value.errors


def test_the_template_page_round_trips_the_guideline_and_keeps_bad_input(app, shop):
    hr = logged_in_client(app, shop.hr_user)
    data = {
        "name": "销售岗",
        "kpi_weight": "70",
        "competency_weight": "30",
        "levels": "5",
        "bands-0-band": "A",
        "bands-0-min": "90",
        "bands-0-guide_max": "20",
        "bands-0-bonus": "1.50",
        "bands-1-band": "B",
        "bands-1-min": "60",
        "bands-1-salary_raise": "3.25",
        "bands-2-band": "C",
        "bands-2-guide_min": "5x",
        "outcomes-0-code": "reward",
    }
    response = hr.post("/appraisals/templates/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="5x"' in page and 'value="1.50"' in page and "is-invalid" in page
    data["bands-2-guide_min"] = "5"
    assert hr.post("/appraisals/templates/new", data=data).status_code == 302
    template = db.session.scalar(db.select(AppraisalTemplate).where(AppraisalTemplate.name == "销售岗"))
    assert template.bands[0] == {"band": "A", "min": 90, "guide_max": "20", "bonus": "1.5"}
    page = hr.get(f"/appraisals/templates/{template.id}/edit").get_data(as_text=True)
    assert 'value="3.25"' in page and 'value="20"' in page and 'value="1.5"' in page


# --- the distribution against the guideline ----------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "counted", "low", "high", "deviation", "off_by"),
    [
        (3, 10, None, "20", "over", 1),  # at most 2 of 10
        (2, 10, None, "20", None, 0),
        (3, 11, None, "20", "over", 1),  # 20 % of 11 = 2.2: at most 2
        (0, 10, "5", None, "under", 1),  # at least 0.5: one
        (1, 10, "5", None, None, 0),
        (0, 0, "5", "20", None, 0),  # nothing counted: nothing to judge
    ],
)
def test_a_band_is_judged_against_its_guideline(count, counted, low, high, deviation, off_by):
    share = calibration.judge(
        "A", count, counted, None if low is None else Decimal(low), None if high is None else Decimal(high)
    )
    assert (share.deviation, share.off_by) == (deviation, off_by)


def test_the_distribution_counts_reviews_at_calibration_and_flags_deviations(ctx, shop, practised):
    spread = calibration.distribution(practised)
    assert (
        spread.counted == 2
        and spread.before
        == db.session.scalar(db.select(db.func.count()).select_from(Review).where(Review.cycle_id == practised.id)) - 2
    )
    bands = {b.band: b for b in spread.bands}
    assert bands["A"].count == 2 and bands["A"].deviation == "over" and bands["A"].off_by == 2
    assert bands["D"].deviation == "under" and bands["D"].off_by == 1
    assert bands["B"].deviation is None and spread.has_guideline
    review = review_of(practised, shop.zhang)
    flow.calibrate(review, "B", "与公司整体分布校准。", review.version)
    db.session.commit()
    bands = {b.band: b for b in calibration.distribution(practised).bands}
    assert bands["A"].count == 1 and bands["B"].count == 1


def test_hr_calibrates_from_the_grid_with_a_reason_and_bad_input_is_kept(app, shop, practised, count_queries):
    hr = logged_in_client(app, shop.hr_user)
    with count_queries() as queries:
        page = hr.get(f"/appraisals/cycles/{practised.id}/calibration")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="distribution"' in html and "table-danger" in html and shop.zhang.name in html
    review = review_of(practised, shop.zhang)
    url = f"/appraisals/cycles/{practised.id}/calibration/{review.id}?band=A"
    refused = hr.post(url, data={"version": review.version, "calibrated_band": "B", "reason": ""})
    assert refused.status_code == 422
    assert "is-invalid" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert review_of(practised, shop.zhang).calibrated_band is None
    done = hr.post(url, data={"version": review.version, "calibrated_band": "B", "reason": "A 档名额已满。"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/calibration?band=A")
    db.session.expire_all()
    review = review_of(practised, shop.zhang)
    assert review.calibrated_band == "B" and review.calibration_reason == "A 档名额已满。"
    assert db.session.scalar(
        db.select(AuditEvent.id).where(
            AuditEvent.entity == "appraisal_reviews",
            AuditEvent.entity_id == str(review.id),
            AuditEvent.changes.is_not(None),
        )
    )
    stale = hr.post(url, data={"version": review.version - 1, "calibrated_band": "C", "reason": "再调。"})
    assert stale.status_code == 409 and 'value="再调。"' in stale.get_data(as_text=True)
    # the same number of queries with more reviews on the page
    with count_queries() as fewer:
        one = hr.get(f"/appraisals/cycles/{practised.id}/calibration?q={shop.li.employee_no}")
    assert one.status_code == 200 and shop.zhang.name not in one.get_data(as_text=True)
    assert len(fewer) == len(queries)


def test_only_hr_calibrates_and_never_their_own_review(app, shop, practised):
    review = review_of(practised, shop.zhang)
    for user in (shop.manager_user, shop.employee_user):
        client = logged_in_client(app, user)
        assert client.get(f"/appraisals/cycles/{practised.id}/calibration").status_code == 403
        assert (
            client.post(
                f"/appraisals/cycles/{practised.id}/calibration/{review.id}",
                data={"calibrated_band": "D", "reason": "x"},
            ).status_code
            == 403
        )
        assert client.get(f"/api/v1/appraisal-cycles/{practised.id}/calibration").status_code == 403
    db.session.expire_all()
    assert review_of(practised, shop.zhang).calibrated_band is None


# --- rewards ----------------------------------------------------------------------------------------------


def _close(cycle, shop):
    """张伟 and 李娜 finalised, the others removed from the cycle (a reason each), then closed."""
    for review in db.session.scalars(db.select(Review).where(Review.cycle_id == cycle.id)).all():
        review = services.get_review(review.id)
        if review.employee_id in (shop.zhang.id, shop.li.id):
            flow.calibrate(review, None, "", review.version, finalise=True)
        else:
            exclusions.exclude_review(review, "other", "试点只考核运营专员。", review.version)
        db.session.commit()
    services.close_cycle(db.session.get(type(cycle), cycle.id))
    db.session.commit()


def test_rewards_are_refused_before_the_cycle_is_closed(app, shop, practised):
    with pytest.raises(ServiceError):
        list(rewards.rewards(practised))
    hr = logged_in_client(app, shop.hr_user)
    response = hr.get(f"/appraisals/cycles/{practised.id}/rewards.csv")
    assert response.status_code == 302
    assert hr.get(f"/api/v1/appraisal-cycles/{practised.id}/rewards").status_code == 422


def test_a_closed_cycle_exports_its_rewards_and_they_never_change(app, shop, practised):
    _close(practised, shop)
    hr = logged_in_client(app, shop.hr_user)
    response = hr.get(f"/appraisals/cycles/{practised.id}/rewards.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_no = {row[0]: row for row in rows[1:]}
    zhang = by_no[shop.zhang.employee_no]
    assert zhang[5] == "A" and zhang[6] == "1.5" and zhang[7] == "8"
    api = hr.get(f"/api/v1/appraisal-cycles/{practised.id}/rewards").get_json()
    assert {r["employee_no"]: r["bonus"] for r in api["rows"]}[shop.zhang.employee_no] == 1.5
    # the template changes afterwards: the closed cycle pays what it was launched with
    _with_practice({"A": {"bonus": "3"}})
    again = hr.get(f"/appraisals/cycles/{practised.id}/rewards.csv").get_data(as_text=True)
    assert again == response.get_data(as_text=True)
    review = review_of(practised, shop.zhang)
    with pytest.raises(ServiceError):
        flow.reopen(review, "calibration", "再议。", review.version)
    db.session.rollback()
    xlsx = hr.get(f"/appraisals/cycles/{practised.id}/rewards.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert (
        logged_in_client(app, shop.manager_user).get(f"/appraisals/cycles/{practised.id}/rewards.csv").status_code
        == 403
    )


# --- promotion candidates and probation reviews --------------------------------------------------------------


def test_promotion_candidates_and_probation_reviews_are_listed_with_history(app, shop, practised):
    for employee in (shop.zhang, shop.li):
        review = review_of(practised, employee)
        flow.calibrate(review, None, "", review.version, finalise=True)
    shop.sun.status = "probation"
    db.session.commit()
    ids = {r.employee_id for r in db.session.scalars(followup.follow_up("promotion"))}
    assert ids == {shop.zhang.id, shop.li.id}
    assert shop.sun.id in {r.employee_id for r in db.session.scalars(followup.follow_up("probation"))}
    history = followup.histories([shop.zhang.id])
    assert [(p.band, p.outcome) for p in history[shop.zhang.id]] == [("A", "promotion_candidate")]
    hr = logged_in_client(app, shop.hr_user)
    page = hr.get("/appraisals/follow-up?list=promotion").get_data(as_text=True)
    assert shop.zhang.name in page and shop.li.name in page and shop.sun.name not in page
    page = hr.get("/appraisals/follow-up?list=probation").get_data(as_text=True)
    assert shop.sun.name in page
    api = hr.get("/api/v1/reviews/follow-up?list=promotion").get_json()
    assert {item["employee_no"] for item in api["items"]} == {shop.zhang.employee_no, shop.li.employee_no}
    assert api["items"][0]["history"][0]["band"] == "A"
    assert hr.get("/api/v1/reviews/follow-up?list=nonsense").status_code == 422
    assert logged_in_client(app, shop.employee_user).get("/appraisals/follow-up").status_code == 403
