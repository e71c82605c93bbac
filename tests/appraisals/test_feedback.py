"""360° feedback (issue 18): template settings, nominations and approval, answers once and
before the deadline, and anonymity that holds on every page, API answer, export and in the
audit trail, tried as reviewee, reviewer and HR."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.appraisals import services
from app.appraisals.models import FeedbackNomination, FeedbackResponse
from app.appraisals.services import feedback, launch
from app.appraisals.services.templates import default_settings
from app.audit.models import AuditEvent
from app.auth.services import issue_token
from app.core import clock
from app.core.errors import Conflict, ServiceError
from app.extensions import db
from tests import factories
from tests.api.conftest import api  # noqa: F401  (the API clients' fixture)
from tests.appraisals.conftest import fill_manager, fill_self, make_cycle, review_of
from tests.documents.conftest import pages_text, squeeze

QUESTION = "What should they keep doing?"
COMMENTS = ["Zealous about the big sale", "always answers customers kindly", "Mentors the new colleagues"]


def feedback_template(anonymous=True, min_responses=3, weight=20):
    return services.create_template(
        {
            **default_settings(),
            "name": f"360 {anonymous} {min_responses}",
            "kpi_weight": 60,
            "competency_weight": 20,
            "feedback": {
                "enabled": True,
                "anonymous": anonymous,
                "min_respondents": 2,
                "max_respondents": 4,
                "min_responses": min_responses,
                "days": 14,
                "questions": [QUESTION],
                "weight": weight,
            },
        }
    )


@pytest.fixture
def fb(shop):
    """The shop's November cycle with an anonymous 360° template; 李娜, 赵敏 and 孙丽 get accounts."""
    template = feedback_template()
    cycle = make_cycle(template_id=template.id)
    launch.launch_cycle(cycle)
    for person in (shop.li, shop.zhao, shop.sun):
        person.user_id = factories.create_user("employee").id
    db.session.commit()
    return cycle


def _as_of(cycle, days: int):
    return clock.frozen(cycle.launched_at + timedelta(days=days))


def _nominate_three(review, shop):
    for person in (shop.li, shop.zhao, shop.sun):
        feedback.nominate(review, person, "peer", "reviewer")
    db.session.commit()


def _answer_all(review, levels=(4, 3, 5), comments=COMMENTS):
    nominations = feedback.list_nominations(review)
    for nomination, level, comment in zip(nominations, levels, comments):
        feedback.answer(feedback.get_nomination(nomination.id), {"OPS": level, "CS": None}, [comment])
    db.session.commit()


# --- settings -------------------------------------------------------------------------------


def test_the_template_refuses_bad_feedback_settings(ctx):
    bad = {
        **default_settings(),
        "name": "bad",
        "feedback": {
            "enabled": True,
            "anonymous": True,
            "min_respondents": 5,
            "max_respondents": 3,
            "min_responses": 1,
            "weight": 10,
        },
    }
    with pytest.raises(ServiceError) as caught:
        services.create_template(bad)
    errors = caught.value.errors
    assert {"feedback.max_respondents", "feedback.min_responses", "competency_weight"} <= set(errors)
    assert "100" in errors["competency_weight"][0]
    ok = feedback_template()
    assert services.template_data(ok)["feedback"]["weight"] == 20.0


# --- nominations ----------------------------------------------------------------------------


def test_nominations_refuse_oneself_the_reviewer_duplicates_and_too_many(app, fb, shop):
    review = review_of(fb, shop.zhang)
    assert review.reviewer_id == shop.wang.id
    for person, message in ((shop.zhang, "own review"), (shop.wang, "manager review")):
        with pytest.raises(ServiceError) as caught:
            feedback.nominate(review, person, "peer", "reviewee")
        assert "respondent_id" in caught.value.errors and message in caught.value.message
    proposed = feedback.nominate(review, shop.li, "peer", "reviewee")
    assert proposed.status == "proposed"
    with pytest.raises(ServiceError, match="already nominated"):
        feedback.nominate(review, shop.li, "peer", "reviewer")
    for person in (shop.zhao, shop.sun, shop.chen):
        feedback.nominate(review, person, "manager" if person is shop.chen else "peer", "reviewer")
    extra = factories.create_employee("E099", "周八", position=shop.ops)
    with pytest.raises(ServiceError, match="At most 4"):
        feedback.nominate(review, extra, "peer", "hr")
    assert db.session.scalar(select(db.func.count(FeedbackNomination.id))) == 4


def test_the_reviewer_approves_the_list_with_a_conflict_on_stale_ids(app, fb, shop):
    review = review_of(fb, shop.zhang)
    li = feedback.nominate(review, shop.li, "peer", "reviewee")
    with pytest.raises(ServiceError, match="at least 2"):
        feedback.approve(review, [li.id])
    zhao = feedback.nominate(review, shop.zhao, "peer", "reviewee")
    db.session.commit()
    feedback.decline(zhao)
    db.session.commit()
    with pytest.raises(Conflict):
        feedback.approve(review, [li.id, zhao.id])
    feedback.nominate(review, shop.sun, "direct_report", "reviewer")
    assert feedback.approve(review, [li.id]) == 1
    assert {n.status for n in feedback.list_nominations(review)} == {"approved", "declined"}


def test_hr_approves_a_whole_cycle_in_bulk(app, fb, shop):
    zhang, li = review_of(fb, shop.zhang), review_of(fb, shop.li)
    for person in (shop.li, shop.zhao):
        feedback.nominate(zhang, person, "peer", "reviewee")
    feedback.nominate(li, shop.zhao, "peer", "reviewee")  # one only: below the minimum of 2
    db.session.commit()
    result = feedback.approve_cycle(fb)
    db.session.commit()
    assert (result.nominations, result.reviews, result.skipped) == (2, 1, [li.id])
    statuses = dict(
        db.session.execute(
            select(FeedbackNomination.review_id, FeedbackNomination.status).where(FeedbackNomination.review_id == li.id)
        ).all()
    )
    assert statuses == {li.id: "proposed"}


# --- answers --------------------------------------------------------------------------------


def test_an_answer_is_taken_once_and_before_the_deadline(app, fb, shop):
    review = review_of(fb, shop.zhang)
    _nominate_three(review, shop)
    nominations = feedback.list_nominations(review)
    with pytest.raises(ServiceError) as caught:
        feedback.answer(nominations[0], {"OPS": 9}, [""])
    assert "ratings.OPS" in caught.value.errors
    with pytest.raises(ServiceError) as caught:
        feedback.answer(nominations[0], {}, [""])
    assert "ratings" in caught.value.errors
    db.session.rollback()
    feedback.answer(feedback.get_nomination(nominations[0].id), {"OPS": 4}, ["Good"])
    db.session.commit()
    with pytest.raises(ServiceError, match="already answered"):
        feedback.answer(feedback.get_nomination(nominations[0].id), {"OPS": 5}, ["Again"])
    db.session.rollback()
    with _as_of(fb, 15), pytest.raises(ServiceError, match="closed"):
        feedback.answer(feedback.get_nomination(nominations[1].id), {"OPS": 5}, ["Late"])
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackResponse)) == 1


def test_results_show_after_the_deadline_only_with_enough_answers_and_count_in_the_score(app, fb, shop):
    review = review_of(fb, shop.zhang)
    _nominate_three(review, shop)
    _answer_all(review, levels=(4, 3, 5))
    assert feedback.view(review).state == "open" and feedback.view(review).competencies == []
    with _as_of(fb, 15):
        view = feedback.view(review)
        assert view.state == "released" and view.responses == 3
        ops = next(c for c in view.competencies if c["code"] == "OPS")
        assert ops["mean"] == 4.0 and ops["count"] == 3
        assert next(c for c in view.competencies if c["code"] == "CS")["mean"] is None  # nobody rated it
        assert view.comments == [{"question": QUESTION, "texts": sorted(COMMENTS, key=str.casefold)}]
        assert view.score == pytest.approx(80.0)  # 100 × 4 / 5
        fill_self(review)
        fill_manager(review)
        review = services.get_review(review.id)
        assert review.feedback_score == pytest.approx(80.0)
        # 60 % KPI, 20 % competencies, 20 % feedback
        expected = (review.kpi_score * 60 + review.competency_score * 20 + 80.0 * 20) / 100
        assert review.final_score == pytest.approx(expected)


def test_too_few_answers_show_nothing_and_the_section_is_rescaled_away(app, fb, shop):
    review = review_of(fb, shop.zhang)
    _nominate_three(review, shop)
    _answer_all(review, levels=(4, 3), comments=COMMENTS[:2])
    with _as_of(fb, 15):
        view = feedback.view(review)
        assert view.state == "not_enough" and view.competencies == [] and view.comments == []
        fill_self(review)
        fill_manager(review)
        review = services.get_review(review.id)
        assert review.feedback_score is None
        assert review.final_score == pytest.approx((review.kpi_score * 60 + review.competency_score * 20) / 80)


# --- anonymity ------------------------------------------------------------------------------


def test_the_audit_trail_never_links_an_answer_to_its_author(app, fb, shop):
    review = review_of(fb, shop.zhang)
    _nominate_three(review, shop)
    first = db.session.scalar(select(db.func.max(AuditEvent.id)))
    respondent_users = {p.user_id for p in (shop.li, shop.zhao, shop.sun)}
    # answered through the API, as each respondent: the request's actor and address are known
    for nomination, comment in zip(feedback.list_nominations(review), COMMENTS):
        user = db.session.get(type(shop.employee_user), nomination.respondent.user_id)
        token, clear = issue_token(user, "tests")
        db.session.commit()
        response = app.test_client().post(
            f"/api/v1/feedback-requests/{nomination.id}/response",
            json={"ratings": {"OPS": 4}, "answers": [comment]},
            headers={"Authorization": f"Bearer {clear}"},
        )
        assert response.status_code == 201, response.get_json()
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > first)).all()
    texts = repr([(r.entity, r.entity_id, r.label, r.changes) for r in rows])
    assert not any(comment in texts for comment in COMMENTS)
    responses = [r for r in rows if r.entity == "appraisal_feedback_responses"]
    assert len(responses) == 3
    assert all(
        r.actor_id is None and r.actor_label == feedback.ANONYMOUS_ACTOR and r.ip is None and r.entity_id == ""
        for r in responses
    )
    assert not any(response_id in texts for response_id in db.session.scalars(select(FeedbackResponse.id)))
    # the respondents appear only as having answered (their nomination's responded_at)
    by_respondents = [r for r in rows if r.actor_id in respondent_users]
    assert {r.entity for r in by_respondents} <= {"appraisal_feedback_nominations", "api_tokens"}
    assert all(set(r.changes) <= {"responded_at", "last_used_at"} for r in by_respondents)
    # no review row changed while answers came in (its scores would tell an answer apart)
    assert not [r for r in rows if r.entity == "appraisal_reviews"]
    assert (
        db.session.scalar(select(db.func.count(FeedbackResponse.id)).where(FeedbackResponse.nomination_id.is_not(None)))
        == 0
    )


def _clients(app, shop):
    hr = factories.create_user("hr")
    return {"reviewee": shop.employee_user, "reviewer": shop.manager_user, "hr": hr}


def test_every_route_shows_reviewee_reviewer_and_hr_only_aggregates(app, fb, shop):
    review = review_of(fb, shop.zhang)
    _nominate_three(review, shop)
    _answer_all(review)
    names = [p.name for p in (shop.li, shop.zhao, shop.sun)]
    with _as_of(fb, 15):
        for role, user in _clients(app, shop).items():
            client = factories.logged_in_client(app, user)
            token, clear = issue_token(user, "tests")
            db.session.commit()
            api = {"Authorization": f"Bearer {clear}"}
            page = client.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
            assert all(comment in page for comment in COMMENTS), role
            assert ('data-testid="answered"' in page) == (role == "hr"), role
            body = app.test_client().get(f"/api/v1/reviews/{review.id}/feedback", headers=api).get_json()
            assert body["state"] == "released" and body["attributed"] == []
            assert sorted(body["comments"][0]["texts"]) == sorted(COMMENTS)
            assert {n["respondent_name"] for n in body["nominations"]} == set(names)
            answered = {n["answered"] for n in body["nominations"]}
            assert answered == ({True} if role == "hr" else {None}), role
            # no answer carries an id, a time or an author anywhere in the API's answer
            flat = repr(body["comments"]) + repr(body["competencies"])
            assert not any(name in flat for name in names)
            assert not any(key in flat for key in ("respondent", "_at", "'id'"))
            export = client.get(f"/appraisals/cycles/{fb.id}/export.csv")
            assert export.status_code in (200, 403), role
            assert not any(c.encode() in export.data for c in COMMENTS), role
            # the printed form carries the answers as the page does: aggregated, never their authors
            form = client.get(f"/appraisals/reviews/{review.id}/form.pdf?lang=en")
            assert form.status_code == 200, role
            printed = squeeze("".join(pages_text(form.data)))
            assert all(squeeze(c) in printed for c in COMMENTS), role
            assert not any(name in printed for name in names), role
        # a respondent sees only their own form, and nobody else's
        li = factories.logged_in_client(app, db.session.get(type(shop.employee_user), shop.li.user_id))
        mine = feedback.list_nominations(review)
        assert li.get(f"/appraisals/feedback/{mine[0].id}").status_code == 200
        assert li.get(f"/appraisals/feedback/{mine[1].id}").status_code == 404
        assert li.get(f"/appraisals/reviews/{review.id}").status_code == 404


def test_a_template_that_is_not_anonymous_names_the_respondents(app, shop):
    template = feedback_template(anonymous=False, min_responses=1)
    cycle = make_cycle(template_id=template.id)
    launch.launch_cycle(cycle)
    shop.li.user_id = factories.create_user("employee").id
    db.session.commit()
    review = review_of(cycle, shop.zhang)
    feedback.nominate(review, shop.li, "peer", "hr")
    feedback.nominate(review, shop.zhao, "peer", "hr")
    db.session.commit()
    feedback.answer(feedback.get_nomination(feedback.list_nominations(review)[0].id), {"OPS": 3}, ["ok"])
    db.session.commit()
    with _as_of(cycle, 15):
        view = feedback.view(review)
    assert view.state == "released" and view.attributed == [
        {"respondent": "李娜", "ratings": {"OPS": 3}, "answers": ["ok"]}
    ]


# --- pages ----------------------------------------------------------------------------------


def test_the_pages_nominate_approve_and_answer_with_errors_at_the_field(app, fb, shop):
    review = review_of(fb, shop.zhang)
    reviewee = factories.logged_in_client(app, shop.employee_user)
    url = f"/appraisals/reviews/{review.id}/feedback/nominate"
    refused = reviewee.post(url, data={"feedback-employee_no": "E001", "feedback-relation": "peer"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "The reviewer does the manager review" in page and 'value="E001"' in page
    for number in ("E003", "E004"):
        assert reviewee.post(url, data={"feedback-employee_no": number, "feedback-relation": "peer"}).status_code == 302
    assert db.session.scalar(select(db.func.count(FeedbackNomination.id))) == 2
    reviewer = factories.logged_in_client(app, shop.manager_user)
    ids = [n.id for n in feedback.list_nominations(review)]
    assert (
        reviewer.post(f"/appraisals/reviews/{review.id}/feedback/approve", data={"nomination_ids": ids}).status_code
        == 302
    )
    assert {n.status for n in feedback.list_nominations(review)} == {"approved"}
    # the reviewee cannot approve
    assert (
        reviewee.post(f"/appraisals/reviews/{review.id}/feedback/approve", data={"nomination_ids": ids}).status_code
        == 403
    )
    li = factories.logged_in_client(app, db.session.get(type(shop.employee_user), shop.li.user_id))
    assert "张伟" in li.get("/appraisals/feedback").get_data(as_text=True)
    bad = li.post(f"/appraisals/feedback/{ids[0]}", data={"rating-OPS": "9", "answer-0": "kept text"})
    assert bad.status_code == 422 and "kept text" in bad.get_data(as_text=True)
    assert li.post(f"/appraisals/feedback/{ids[0]}", data={"rating-OPS": "4", "answer-0": "fine"}).status_code == 302
    again = li.post(f"/appraisals/feedback/{ids[0]}", data={"rating-OPS": "4", "answer-0": "twice"})
    assert again.status_code == 422 and "already answered" in again.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(FeedbackResponse.id))) == 1
    hr = factories.logged_in_client(app, factories.create_user("hr"))
    page = hr.get(f"/appraisals/cycles/{fb.id}/feedback")
    assert page.status_code == 200
    assert reviewer.get(f"/appraisals/cycles/{fb.id}/feedback").status_code == 403


def test_hr_sees_the_respondents_without_an_account(app, fb, shop):
    review = review_of(fb, shop.zhang)
    nobody = factories.create_employee("E050", "无账号", position=shop.ops)
    feedback.nominate(review, nobody, "peer", "hr")
    feedback.nominate(review, shop.li, "peer", "hr")
    db.session.commit()
    assert [n.respondent.name for n in feedback.without_account(fb)] == ["无账号"]
    page = factories.logged_in_client(app, factories.create_user("hr")).get(f"/appraisals/cycles/{fb.id}/feedback")
    assert "E050" in page.get_data(as_text=True)


def test_the_api_names_the_field_and_answers_conflicts(app, api, fb, shop):
    review = review_of(fb, shop.zhang)
    reviewee, reviewer = api(user=shop.employee_user), api(user=shop.manager_user)
    url = f"/api/v1/reviews/{review.id}/feedback"
    response = reviewee.post(url + "/nominations", json={"respondent_id": shop.zhang.id, "relation": "peer"})
    assert response.status_code == 422 and "respondent_id" in response.get_json()["errors"]
    response = reviewee.post(url + "/nominations", json={"respondent_id": shop.li.id, "relation": "friend"})
    assert response.status_code == 422 and "relation" in response.get_json()["errors"]
    created = reviewee.post(url + "/nominations", json={"respondent_id": shop.li.id, "relation": "peer"})
    assert created.status_code == 201 and created.get_json()["status"] == "proposed"
    assert created.get_json()["answered"] is None
    second = reviewee.post(url + "/nominations", json={"respondent_id": shop.zhao.id, "relation": "peer"}).get_json()
    assert reviewee.post(url + "/approve", json={"nomination_ids": [second["id"]]}).status_code == 403
    declined = reviewer.post(url + f"/nominations/{second['id']}/decline", json={})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    stale = reviewer.post(url + "/approve", json={"nomination_ids": [created.get_json()["id"], second["id"]]})
    assert stale.status_code == 409
    outsider = api("employee")
    assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            f"/api/v1/feedback-requests/{created.get_json()['id']}/response", json={"ratings": {"OPS": 3}}
        ).status_code
        == 404
    )
    assert api("hr").post(f"/api/v1/appraisal-cycles/{fb.id}/feedback/approve", json={}).status_code == 200


def test_feedback_off_changes_nothing(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    assert feedback.view(review).state == "off"
    with pytest.raises(ServiceError, match="no 360"):
        feedback.nominate(review, shop.li, "peer", "hr")
    page = factories.logged_in_client(app, shop.manager_user).get(f"/appraisals/reviews/{review.id}")
    assert 'data-testid="feedback"' not in page.get_data(as_text=True)


def test_each_respondent_is_notified_of_the_request_when_it_is_approved(app, fb, shop):
    from app.notifications.models import Notification

    def requests(person):
        return db.session.scalars(
            select(Notification).where(
                Notification.user_id == person.user_id, Notification.kind == "feedback_requested"
            )
        ).all()

    zhang, li = review_of(fb, shop.zhang), review_of(fb, shop.li)
    asked = feedback.nominate(zhang, shop.li, "peer", "reviewee")  # proposed: nobody is asked yet
    db.session.commit()
    assert requests(shop.li) == []
    feedback.nominate(zhang, shop.zhao, "peer", "reviewer")  # the reviewer's: approved at once
    feedback.approve(zhang, [asked.id])
    feedback.nominate(li, shop.sun, "peer", "reviewee")
    feedback.nominate(li, shop.zhao, "peer", "reviewee")
    db.session.commit()
    feedback.approve_cycle(fb)  # in bulk: 孙丽 and 赵敏 on 李娜's review
    db.session.commit()
    (note,) = requests(shop.li)
    assert note.params["employee"] == shop.zhang.name and note.link.endswith(f"/appraisals/feedback/{asked.id}")
    assert len(requests(shop.zhao)) == 2 and len(requests(shop.sun)) == 1
