"""360° feedback (issue 18): a review's feedback and respondents, nominating, approving and
declining them, the respondent's own requests and answer, and HR's bulk approval for a cycle.
The same services and access rules as the pages; no answer names or dates its author."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api.appraisals import visible_review
from app.api.common import ID, LOCATION, Blueprint, check_first, reference, require_body
from app.api.schemas import Output, Text, one_of, ref
from app.appraisals.access import (
    can_answer_feedback,
    can_approve_feedback,
    can_manage_appraisals,
    can_see_respondents,
    can_use_appraisals,
    feedback_role,
)
from app.appraisals.models import FeedbackRelation, NominationStatus
from app.appraisals.services import feedback, get_cycle
from app.auth.permissions import requires
from app.core.errors import NotFound
from app.org import services as org_services

blp = Blueprint(
    "review_feedback",
    __name__,
    url_prefix="/api/v1",
    description="360° feedback on reviews: the reviewee, the reviewer and HR nominate respondents, the "
    "reviewer or HR approves them, each respondent answers their own request once, before "
    "the deadline. In an anonymous template the answers are only ever shown aggregated, "
    "after the deadline and when enough came in; only HR sees who answered, nobody who "
    "wrote what.",
)


class NominationOut(Output):
    id = fields.Integer()
    respondent_id = fields.Integer()
    respondent_name = fields.String(attribute="respondent.name")
    relation = fields.String(validate=validate.OneOf(sorted(FeedbackRelation.values())))
    status = fields.String(validate=validate.OneOf(sorted(NominationStatus.values())))
    nominated_by = fields.String(validate=validate.OneOf(feedback.ROLES))
    answered = fields.Method(
        "_answered",
        allow_none=True,
        metadata={"description": "Whether this person answered: shown to HR only (null for everyone else)."},
    )

    def _answered(self, nomination):
        return nomination.responded_at is not None if getattr(nomination, "shown_to_hr", False) else None


class CompetencyMeanOut(Output):
    code = fields.String()
    name = fields.String()
    mean = fields.Float(allow_none=True, metadata={"description": "Null below the responses needed."})
    count = fields.Integer()


class QuestionOut(Output):
    question = fields.String()
    texts = fields.List(fields.String(), metadata={"description": "The answers, sorted alphabetically."})


class AttributedOut(Output):
    respondent = fields.String()
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer())
    answers = fields.List(fields.String())


class FeedbackOut(Output):
    state = fields.String(
        validate=validate.OneOf(["off", "open", "not_enough", "released"]),
        metadata={
            "description": "off: no feedback in this template; open: until the deadline, answers only counted; "
            "not_enough: closed with fewer answers than needed; released: the aggregated answers."
        },
    )
    anonymous = fields.Boolean()
    due = fields.Date(allow_none=True)
    responses = fields.Integer()
    min_responses = fields.Integer()
    score = fields.Float(allow_none=True, metadata={"description": "The feedback section's score, 0-100."})
    competencies = fields.List(fields.Nested(CompetencyMeanOut))
    comments = fields.List(fields.Nested(QuestionOut))
    attributed = fields.List(
        fields.Nested(AttributedOut),
        metadata={"description": "Templates that are not anonymous only: each respondent's answer."},
    )
    nominations = fields.List(fields.Nested(NominationOut))


class NominationIn(Schema):
    respondent_id = ref(required=True)
    relation = one_of(FeedbackRelation, required=True)


class ApproveIn(Schema):
    nomination_ids = fields.List(
        ref(),
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The proposed nominations approved (as read): 409 if one of them changed since."},
    )


class AnswerIn(Schema):
    ratings = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.Integer(strict=True, allow_none=True),
        load_default=dict,
        validate=validate.Length(max=200),
        metadata={"description": "{competency code: level}; leave out what you cannot judge."},
    )
    answers = fields.List(
        Text(validate=validate.Length(max=feedback.MAX_ANSWER)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "One per open question."},
    )


class RequestOut(Output):
    id = fields.Integer()
    review_id = fields.Integer()
    employee_name = fields.String(attribute="review.employee.name")
    cycle_name = fields.String(attribute="review.cycle.name")
    due = fields.Method("_due", allow_none=True)
    answered = fields.Method("_answered")
    open = fields.Method("_open")

    def _due(self, nomination):
        due = feedback.due_date(nomination.review.cycle)
        return due.isoformat() if due else None

    def _answered(self, nomination):
        return nomination.responded_at is not None

    def _open(self, nomination):
        return nomination.responded_at is None and feedback.is_open(nomination.review)


class BulkOut(Output):
    nominations = fields.Integer(metadata={"description": "Nominations approved."})
    reviews = fields.Integer(metadata={"description": "Reviews whose list was approved."})
    skipped_review_ids = fields.List(
        fields.Integer(),
        attribute="skipped",
        metadata={"description": "Reviews whose list is shorter than the minimum or longer than the maximum."},
    )


def _for_hr(review, nomination):
    """Mark the nomination for the response: ``answered`` is shown to HR only."""
    nomination.shown_to_hr = can_see_respondents(current_user, review)
    return nomination


def _view(review) -> dict:
    view = feedback.view(review)
    nominations = feedback.list_nominations(review) if view.state != "off" else []
    return {**view.__dict__, "nominations": [_for_hr(review, n) for n in nominations]}


def _nominator(review_id: int):
    review = visible_review(review_id)
    role = feedback_role(current_user, review)
    if role is None:
        _forbidden()
    return review, role


def _approver(review_id: int):
    review = visible_review(review_id)
    if not can_approve_feedback(current_user, review):
        _forbidden()
    return review


def _forbidden():
    from flask_smorest import abort

    abort(403, message=_("You may not do this on this review."))


def _own_request(nomination_id: int):
    nomination = feedback.get_nomination(nomination_id)
    if not can_answer_feedback(current_user, nomination) or nomination.status != NominationStatus.APPROVED.value:
        raise NotFound(_("No such feedback request."))
    return nomination


@blp.route(f"/reviews/<{ID}:review_id>/feedback")
@blp.response(200, FeedbackOut)
@requires(can_use_appraisals)
def get_feedback(review_id: int):
    """Read a review's 360° feedback and respondents

    The reviewee, the reviewer, managers above and HR read it; `answered` is shown to HR only.
    """
    return _view(visible_review(review_id))


@blp.route(f"/reviews/<{ID}:review_id>/feedback/nominations", methods=["POST"])
@blp.response(201, NominationOut, headers=LOCATION)
@requires(can_use_appraisals)
@check_first(lambda review_id: _nominator(review_id))
@blp.arguments(NominationIn)
def nominate(body, review_id: int):
    """Nominate a respondent (the reviewee, the reviewer or HR)

    The reviewer's and HR's nominations are approved at once; the reviewee's are proposed.
    Refused (422 naming `respondent_id`): the reviewee or the reviewer, someone already nominated,
    more than the template's maximum, after the deadline.
    """
    review, role = _nominator(review_id)
    respondent = reference(org_services.get_employee, body["respondent_id"], "respondent_id")
    nomination = feedback.nominate(review, respondent, body["relation"], role)
    return _for_hr(review, nomination), 201, {"Location": url_for(".get_feedback", review_id=review.id)}


@blp.route(f"/reviews/<{ID}:review_id>/feedback/approve", methods=["POST"])
@blp.response(200, FeedbackOut)
@requires(can_use_appraisals)
@check_first(lambda review_id: _approver(review_id))
@blp.arguments(ApproveIn)
def approve(body, review_id: int):
    """Approve the proposed respondents (the reviewer or HR)

    Send the ids of the proposed nominations you approve, as you read them: 409 when one of them
    was approved or declined since; 422 when the list would be shorter than the template's
    minimum or longer than its maximum.
    """
    review = _approver(review_id)
    feedback.approve(review, body["nomination_ids"])
    return _view(review)


@blp.route(f"/reviews/<{ID}:review_id>/feedback/nominations/<{ID}:nomination_id>/decline", methods=["POST"])
@blp.response(200, NominationOut)
@requires(can_use_appraisals)
@check_first(lambda review_id, nomination_id: _approver(review_id))
def decline(review_id: int, nomination_id: int):
    """Decline a respondent who has not answered (the reviewer or HR)"""
    require_body()
    review = _approver(review_id)
    nomination = feedback.get_nomination(nomination_id)
    if nomination.review_id != review.id:
        raise NotFound(_("No such nomination on this review."))
    feedback.decline(nomination)
    return _for_hr(review, nomination)


@blp.route("/feedback-requests")
@blp.response(200, RequestOut(many=True))
@requires(can_use_appraisals)
def my_requests():
    """The feedback you are asked to give (approved requests of running cycles)"""
    employee = getattr(current_user, "employee", None)
    return feedback.requests_for(employee.id if employee else None)


@blp.route(f"/feedback-requests/<{ID}:nomination_id>/response", methods=["POST"])
@blp.response(201, RequestOut)
@requires(can_use_appraisals)
@check_first(lambda nomination_id: _own_request(nomination_id))
@blp.arguments(AnswerIn)
def answer(body, nomination_id: int):
    """Answer a feedback request of yours, once, until its deadline

    `ratings` maps the review's competency codes to levels of the cycle's scale; `answers` holds
    one text per open question. A second answer, or one after the deadline, is refused (422).
    """
    nomination = _own_request(nomination_id)
    feedback.answer(nomination, body["ratings"], body["answers"])
    return nomination, 201


@blp.route(f"/appraisal-cycles/<{ID}:cycle_id>/feedback/approve", methods=["POST"])
@blp.response(200, BulkOut)
@requires(can_manage_appraisals)
def approve_cycle(cycle_id: int):
    """Approve every proposed list of respondents of a running cycle (HR)

    Lists shorter than the template's minimum or longer than its maximum are left (listed in
    `skipped_review_ids`) for their reviewer.
    """
    require_body()
    return feedback.approve_cycle(get_cycle(cycle_id))
