"""Appraisals: cycles (list, read, create, change, launch, results) and reviews (list within the
user's scope, read, submit the current step, finalise, reopen, acknowledge, reviewer). The same
services and permission functions as the pages."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.appraisal_schemas import (
    CalibrationOut,
    CycleArgs,
    CycleIn,
    CycleOut,
    CycleUpdate,
    ExcludeIn,
    ExclusionIn,
    ExclusionOut,
    FinaliseIn,
    FollowUpArgs,
    FollowUpOut,
    LaunchIn,
    LaunchOut,
    ReopenIn,
    ResultsArgs,
    ResultsOut,
    ReviewArgs,
    ReviewDetailOut,
    ReviewerIn,
    ReviewOut,
    RewardsOut,
    StepIn,
    VersionIn,
)
from app.api.common import (
    ETAG,
    ID,
    IF_MATCH,
    LOCATION,
    Blueprint,
    check_first,
    department_filter,
    etag,
    page_of,
    reference,
    seen_version,
)
from app.api.document_schemas import PDF, DocumentArgs, TaskOut
from app.api.schemas import page_schema, patch
from app.api.tasks import TASK_LOCATION, task_accepted
from app.appraisals import services
from app.appraisals import tasks as appraisal_tasks
from app.appraisals.access import (
    can_calibrate,
    can_do_manager_reviews,
    can_enter_manager_review_for,
    can_enter_self_review_for,
    can_manage_appraisals,
    can_manager_review,
    can_self_review,
    can_skip_self_review_for,
    can_use_appraisals,
    can_view_cycle,
    can_view_cycles,
    can_view_review,
    is_own_review,
    review_scope,
)
from app.appraisals.fields import CYCLE
from app.appraisals.models import AppraisalCycle, Review, Step
from app.appraisals.services import calibration, exclusions, flow, followup, results, rewards
from app.auth.permissions import requires
from app.core.errors import Conflict, NotFound, ServiceError
from app.documents import services as documents
from app.documents.responses import pdf_response, requested_language, results_or_task
from app.org import services as org_services
from app.tasks.models import Task

cycles = Blueprint(
    "appraisal_cycles",
    __name__,
    url_prefix="/api/v1/appraisal-cycles",
    description="Appraisal cycles. HR and admins run them; managers read the cycles that hold "
    "reviews of their reporting subtree.",
)
reviews = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/v1/reviews",
    description="Appraisal reviews: an employee reads their own, a manager those of their "
    "reporting subtree and those they review, HR all.",
)
CyclePage = page_schema(CycleOut, "AppraisalCyclePage")
ReviewPage = page_schema(ReviewOut, "AppraisalReviewPage")


def _data(body: dict) -> services.CycleData:
    return services.CycleData(**{k: v for k, v in body.items() if k != "version"})


def visible_cycle(cycle_id: int) -> AppraisalCycle:
    cycle = services.get_cycle(cycle_id)
    if not can_view_cycle(current_user, cycle):
        raise NotFound(_("No such appraisal cycle."))
    return cycle


@cycles.route("")
@cycles.response(200, CyclePage)
@requires(can_view_cycles)
@cycles.arguments(CycleArgs, location="query")
def list_cycles(args):
    """List appraisal cycles, latest first"""
    return page_of(services.list_cycles(args.get("status", ""), review_scope(current_user)), args)


@cycles.route(f"/<{ID}:cycle_id>")
@cycles.response(200, CycleOut, headers=ETAG)
@requires(can_view_cycles)
def get_cycle(cycle_id: int):
    """Read an appraisal cycle"""
    cycle = visible_cycle(cycle_id)
    return cycle, 200, etag(cycle)


@cycles.route("", methods=["POST"])
@cycles.response(201, CycleOut, headers={**ETAG, **LOCATION})
@requires(can_manage_appraisals)
@cycles.arguments(CycleIn)
def create_cycle(body):
    """Create an appraisal cycle (not launched)"""
    cycle = services.create_cycle(_data(body))
    return cycle, 201, {**etag(cycle), "Location": url_for(".get_cycle", cycle_id=cycle.id)}


@cycles.route(f"/<{ID}:cycle_id>", methods=["PATCH"])
@cycles.doc(parameters=[IF_MATCH])
@cycles.response(200, CycleOut, headers=ETAG)
@requires(can_manage_appraisals)
@cycles.arguments(patch(CycleUpdate))
def update_cycle(body, cycle_id: int):
    """Change some fields of an appraisal cycle

    Before the launch everything may change; afterwards only the name and the deadlines. Send
    the version the change is based on (`version`, or the ETag in If-Match); an older one
    answers 409.
    """
    cycle = services.get_cycle(cycle_id)
    version = seen_version(body.pop("version", None))
    current = {name: getattr(cycle, name) for name in CYCLE.names if name != "department_ids"}
    current["department_ids"] = [d.id for d in cycle.departments]
    services.update_cycle(cycle, _data({**current, **body}), seen_version=version)
    return cycle, 200, etag(cycle)


@cycles.route(f"/<{ID}:cycle_id>/launch", methods=["POST"])
@cycles.doc(parameters=[IF_MATCH])
@cycles.response(200, LaunchOut)
@cycles.alt_response(
    202,
    schema=TaskOut,
    headers=TASK_LOCATION,
    success=True,
    description="A big launch: a background task creates the reviews.",
)
@requires(can_manage_appraisals)
@cycles.arguments(LaunchIn)
def launch_cycle(body, cycle_id: int):
    """Launch a cycle (or add the reviews still missing)

    Creates one review per active employee in scope whose primary assignment covers the period;
    launching again creates nothing twice. An employee without an account (or every employee,
    when the template skips it) starts at the manager review, the self-review marked skipped;
    the employees excluded before the launch get a review already excluded. Employees who
    already have a review of the same template for an overlapping period make the launch answer
    409 naming them, unless `confirm_overlap` is true. More than a few hundred reviews are
    created by a background task: the answer is 202 with the task to follow at `Location`.
    """
    cycle = services.get_cycle(cycle_id)
    result = appraisal_tasks.launch_or_enqueue(
        cycle, current_user, seen_version(body.get("version")), confirm_overlap=body["confirm_overlap"]
    )
    if isinstance(result, Task):
        return task_accepted(result)
    return {
        "created": result.created,
        "existing": result.existing,
        "without_jd": result.without_jd,
        "without_reviewer": result.without_reviewer,
        "stalled": result.stalled,
        "excluded": result.excluded,
        "cycle": cycle,
    }


@cycles.route(f"/<{ID}:cycle_id>/results")
@cycles.response(200, ResultsOut)
@requires(can_view_cycles)
@cycles.arguments(ResultsArgs, location="query")
def cycle_results(args, cycle_id: int):
    """Results of a cycle: completion, bands, score histogram, departments (within your scope)"""
    cycle = visible_cycle(cycle_id)
    department = department_filter(args.get("department_id"))
    scope = review_scope(current_user)
    counts = results.review_counts(cycle, scope, department)  # one pass for the summary and the departments
    summary = results.summary(cycle, scope, department, counts=counts)
    return {
        "total": summary.total,
        "by_step": summary.by_step,
        "finalised": summary.finalised,
        "completion": summary.completion,
        "acknowledged": summary.acknowledged,
        "overdue": summary.overdue,
        "scored": summary.scored,
        "provisional": summary.provisional,
        "average": summary.average,
        "finalised_without_score": summary.unscored,
        "bands": [{"label": band, "count": count} for band, count in summary.bands],
        "histogram": [{"label": label, "count": count} for label, count in summary.histogram],
        "departments": results.by_department(cycle, scope, department, counts=counts),
    }


class ResultsPdfArgs(ResultsArgs, DocumentArgs):
    pass


@cycles.route(f"/<{ID}:cycle_id>/results.pdf")
@cycles.response(200, PDF, content_type="application/pdf", description="The results as PDF.")
@cycles.alt_response(
    202,
    schema=TaskOut,
    headers=TASK_LOCATION,
    success=True,
    description="The results are long: a background task makes them.",
)
@requires(can_view_cycles)
@cycles.arguments(ResultsPdfArgs, location="query")
def cycle_results_pdf(args, cycle_id: int):
    """Print the results of a cycle (within your scope)

    The summary, the band distribution and score histogram, the departments and every review by
    final score; for one department and those below it with `department_id`. Results expected to
    be longer than `PDF_SYNC_MAX_PAGES` pages, unless printed before, answer 202 with the task that
    makes them (as the page does).
    """
    cycle = visible_cycle(cycle_id)
    department = department_filter(args.get("department_id"))
    pdf, task = results_or_task(cycle, department, requested_language(args.get("lang", "")))
    if task is None:
        return pdf_response(pdf)
    return task_accepted(task)


@cycles.route(f"/<{ID}:cycle_id>/calibration")
@cycles.response(200, CalibrationOut)
@requires(can_manage_appraisals)
@cycles.arguments(ResultsArgs, location="query")
def cycle_calibration(args, cycle_id: int):
    """The band distribution of a cycle against its guideline (HR)

    Reviews at calibration or finalised with a score, by the band shown (calibrated, else
    computed); each band with its guideline from the template (frozen at launch) and whether it
    is over or under it. HR changes a band with `PUT /reviews/{id}/step` at the calibration step.
    """
    cycle = visible_cycle(cycle_id)
    spread = calibration.distribution(cycle, None, department_filter(args.get("department_id")))
    return {"counted": spread.counted, "before": spread.before, "bands": spread.bands}


@cycles.route(f"/<{ID}:cycle_id>/rewards")
@cycles.response(200, RewardsOut)
@requires(can_manage_appraisals)
@cycles.arguments(ResultsArgs, location="query")
def cycle_rewards(args, cycle_id: int):
    """What a closed cycle pays (HR): each finalised review's band, bonus coefficient and salary
    adjustment, by employee number

    Refused (422) before the cycle is closed; the figures of a closed cycle never change.
    """
    cycle = visible_cycle(cycle_id)
    return {"cycle_id": cycle.id, "rows": list(rewards.rewards(cycle, department_filter(args.get("department_id"))))}


# --- reviews ----------------------------------------------------------------------------------


def visible_review(review_id: int) -> Review:
    review = services.get_review(review_id)
    if not can_view_review(current_user, review):
        raise NotFound(_("No such review."))  # the same answer as for an id that does not exist
    return review


@reviews.route("")
@reviews.response(200, ReviewPage)
@requires(can_use_appraisals)
@reviews.arguments(ReviewArgs, location="query")
def list_reviews(args):
    """List the reviews you may read"""
    department = department_filter(args.get("department_id"))
    query = services.list_reviews(
        args.get("cycle_id"),
        review_scope(current_user),
        args.get("status", ""),
        args.get("band", ""),
        department=department,
        employee_id=args.get("employee_id"),
        stalled=args.get("stalled", False),
        excluded=args.get("excluded", False),
        unscored=args.get("finalised_without_score", False),
    )
    return page_of(query.order_by(Review.cycle_id.desc(), Review.id), args)


@reviews.route(f"/<{ID}:review_id>")
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_use_appraisals)
def get_review(review_id: int):
    """Read a review with its KPI results and competency ratings"""
    review = visible_review(review_id)
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/form.pdf")
@reviews.response(200, PDF, content_type="application/pdf", description="The filled-in appraisal form as PDF.")
@requires(can_use_appraisals)
@reviews.arguments(DocumentArgs, location="query")
def review_pdf(args, review_id: int):
    """Print a review's appraisal form, filled in

    The review's own KPI targets and competencies (as snapshotted at launch), the actuals,
    attainments, ratings, comments, score, band and signature lines.
    """
    return pdf_response(documents.review_pdf(visible_review(review_id), requested_language(args.get("lang", ""))))


def _forbidden():
    from werkzeug.exceptions import Forbidden

    raise Forbidden()


def _not_your_step(review: Review):
    """The current step is not the user's. When they had a step of their own on this review
    (the self-review, or the manager review as its reviewer) and it is over or not open yet,
    say so (409 when it was already submitted or the review is finalised, 422 when it is not
    open yet); else 403."""
    if can_self_review(current_user, review):
        flow.require_step(review, Step.SELF_REVIEW)
    if can_manager_review(current_user, review):
        flow.require_step(review, Step.MANAGER_REVIEW)
    _forbidden()


def _own(review: Review) -> Review:
    """The review, if it is the user's own (else 403)."""
    if not is_own_review(current_user, review):
        _forbidden()
    return review


def _step_is_yours(review: Review) -> None:
    """The review's current step is the user's to save or complete (else 403, or the reason)."""
    allowed = {
        Step.SELF_REVIEW.value: (can_self_review, can_enter_self_review_for),
        Step.MANAGER_REVIEW.value: (can_manager_review, can_enter_manager_review_for),
        Step.CALIBRATION.value: (can_calibrate,),
    }.get(review.status)
    if allowed is not None and not any(rule(current_user, review) for rule in allowed):
        _not_your_step(review)


def _api_names(error: ServiceError) -> ServiceError:
    """Errors named after the request's fields: the body's ``competencies`` are the services'
    ``ratings`` (``ratings.1.rating`` → ``competencies.1.rating``)."""
    if not any(name.startswith("ratings.") for name in error.errors):
        return error
    renamed = {
        ("competencies." + name[len("ratings.") :] if name.startswith("ratings.") else name): messages
        for name, messages in error.errors.items()
    }
    return ServiceError(error.message, renamed)


@reviews.route(f"/<{ID}:review_id>/submit", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(lambda review_id: _step_is_yours(visible_review(review_id)))
@reviews.arguments(StepIn)
def submit_step(body, review_id: int):
    """Save or complete the review's current step

    Self-review (the employee; HR, or the reviewer where the template allows, entering a paper
    one on the employee's behalf), manager review (the named reviewer; HR entering a paper one
    on behalf of a reviewer without an account able to review) or calibration (HR). Without
    `submit` (or with `false`) the step is only saved; `"submit": true` completes it (hands the
    review on; at calibration, finalises it). Send the version (`version`, or the ETag in
    If-Match); an older one answers 409 and changes nothing. A step already submitted (or a
    finalised review) answers 409 and says so; a step not open yet, 422. Errors name the request's fields: `kpis.0.actual`, `competencies.1.rating`.
    """
    version = seen_version(body.get("version"))
    review = visible_review(review_id)
    _step_is_yours(review)
    data = flow.StepData(
        kpis=body["kpis"], ratings=body["competencies"], comment=body["comment"], outcome=body["outcome"]
    )
    try:
        flow.require_included(review)  # an excluded review (which the user may read) has no step open
        if review.status == Step.SELF_REVIEW.value:
            own = can_self_review(current_user, review)
            if not own and not can_enter_self_review_for(current_user, review):
                _not_your_step(review)
            flow.save_self_review(review, data, version, submit=body["submit"], on_behalf=not own)
        elif review.status == Step.MANAGER_REVIEW.value:
            own = can_manager_review(current_user, review)
            if not own and not can_enter_manager_review_for(current_user, review):
                _not_your_step(review)
            flow.save_manager_review(review, data, version, submit=body["submit"], on_behalf=not own)
        elif review.status == Step.CALIBRATION.value:
            flow.calibrate(review, body["calibrated_band"], body["reason"], version, finalise=body["submit"])
        else:
            raise flow.StepOver(_("This review is finalised and locked. Only HR can reopen it."))
    except (Conflict, flow.StepOver):
        raise
    except ServiceError as error:
        raise _api_names(error) from None
    return review, 200, etag(review)


def _hr(review_id: int) -> Review:
    review = visible_review(review_id)
    if not can_calibrate(current_user, review):
        _forbidden()
    return review


@reviews.route(f"/<{ID}:review_id>/finalise", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_manage_appraisals)
@reviews.arguments(FinaliseIn)
def finalise(body, review_id: int):
    """Finalise a calibrated review (HR): it is locked

    A review with nothing to score (no KPI and no competency) needs `reason`: it is counted
    apart as finalised without score.
    """
    version = seen_version(body.get("version"))
    review = _hr(review_id)
    flow.finalise(review, version, body["reason"])
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/reopen", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_manage_appraisals)
@reviews.arguments(ReopenIn)
def reopen(body, review_id: int):
    """Reopen a finalised review at an earlier step, with a reason (HR)

    The calibrated band and its reason are cleared (kept in the review's history and the audit
    trail): HR calibrates the reopened review again.
    """
    version = seen_version(body.get("version"))
    review = _hr(review_id)
    flow.reopen(review, body["step"], body["reason"], version)
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/reviewer", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_manage_appraisals)
@reviews.arguments(ReviewerIn)
def reassign(body, review_id: int):
    """Name another reviewer (HR); never the reviewee"""
    version = seen_version(body.get("version"))
    review = _hr(review_id)
    if body.get("reviewer_id"):
        reference(org_services.get_employee, body["reviewer_id"], "reviewer_id")
    flow.reassign_reviewer(review, body.get("reviewer_id"), version)
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/acknowledge", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(lambda review_id: _own(visible_review(review_id)))
@reviews.arguments(VersionIn)
def acknowledge(body, review_id: int):
    """Acknowledge your finalised review"""
    version = seen_version(body.get("version"))
    review = _own(visible_review(review_id))
    flow.acknowledge(review, version)
    return review, 200, etag(review)


def _may_enter_self_review(review: Review) -> None:
    """The user may enter a paper self-review on this review now (else 403, or HR told why not)."""
    if can_enter_self_review_for(current_user, review):
        return
    if can_calibrate(current_user, review):  # HR: say why (excluded, or not at a step that takes it)
        flow.require_included(review)
        if review.status != Step.MANAGER_REVIEW.value:
            flow.require_step(review, Step.SELF_REVIEW)
        raise ServiceError(_("The self-review was not skipped: it can only be entered at its own step."))
    _forbidden()


def _reviewer_or_hr(review: Review) -> None:
    if not (can_calibrate(current_user, review) or can_manager_review(current_user, review)):
        _forbidden()


@reviews.route(f"/<{ID}:review_id>/paper-self-review", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_do_manager_reviews)
@check_first(lambda review_id: _may_enter_self_review(visible_review(review_id)))
@reviews.arguments(StepIn)
def paper_self_review(body, review_id: int):
    """Enter a paper self-review on the employee's behalf (HR, or the reviewer where the template allows)

    At the self-review step (`"submit": true` hands the review to the reviewer), or during the
    manager review when the self-review was skipped (it adds the employee's figures and ratings;
    the manager's actuals stay). Recorded as entered on the employee's behalf.
    """
    review = visible_review(review_id)
    _may_enter_self_review(review)
    data = flow.StepData(kpis=body["kpis"], ratings=body["competencies"], comment=body["comment"])
    version = seen_version(body.get("version"))
    try:
        flow.save_self_review(review, data, version, submit=body["submit"], on_behalf=True)
    except (Conflict, flow.StepOver):
        raise
    except ServiceError as error:
        raise _api_names(error) from None
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/skip-self-review", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_do_manager_reviews)
@check_first(lambda review_id: _reviewer_or_hr(visible_review(review_id)))
@reviews.arguments(VersionIn)
def skip_self_review(body, review_id: int):
    """Go on without the self-review: an optional one (the reviewer or HR), or that of an employee without an account (HR)"""
    review = visible_review(review_id)
    by_hr = can_calibrate(current_user, review)
    _reviewer_or_hr(review)
    if not can_skip_self_review_for(current_user, review):
        flow.require_step(review, Step.SELF_REVIEW)
        if not by_hr:
            _forbidden()
    flow.skip_self_review(review, seen_version(body.get("version")), by_hr=by_hr)
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/exclude", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_manage_appraisals)
@reviews.arguments(ExcludeIn)
def exclude(body, review_id: int):
    """Remove a review from its running cycle, with a reason (HR)

    The review is kept as it is, counted nowhere (progress, results, distribution, exports,
    closing) and no step of it is open, until HR restores it.
    """
    version = seen_version(body.get("version"))
    review = _hr(review_id)
    exclusions.exclude_review(review, body["reason"], body["comment"], version)
    return review, 200, etag(review)


@reviews.route(f"/<{ID}:review_id>/restore", methods=["POST"])
@reviews.doc(parameters=[IF_MATCH])
@reviews.response(200, ReviewDetailOut, headers=ETAG)
@requires(can_manage_appraisals)
@reviews.arguments(VersionIn)
def restore(body, review_id: int):
    """Restore an excluded review to its running cycle, at the step where it was (HR)"""
    version = seen_version(body.get("version"))
    review = _hr(review_id)
    exclusions.restore_review(review, version)
    return review, 200, etag(review)


@cycles.route(f"/<{ID}:cycle_id>/exclusions")
@cycles.response(200, ExclusionOut(many=True))
@requires(can_manage_appraisals)
def list_exclusions(cycle_id: int):
    """The employees excluded from a cycle before its launch (HR)

    After the launch they are reviews marked excluded: `GET /api/v1/reviews?cycle_id=…&excluded=true`.
    """
    return exclusions.list_exclusions(services.get_cycle(cycle_id))


@cycles.route(f"/<{ID}:cycle_id>/exclusions", methods=["POST"])
@cycles.response(201, ExclusionOut)
@requires(can_manage_appraisals)
@cycles.arguments(ExclusionIn)
def create_exclusion(body, cycle_id: int):
    """Exclude an employee from a cycle before its launch, with a reason (HR)

    The launch creates their review already excluded (counted nowhere, restorable). The cycle's
    `version`, if sent, must be the current one (409 otherwise).
    """
    cycle = services.get_cycle(cycle_id)
    reference(org_services.get_employee, body["employee_id"], "employee_id")
    exclusion = exclusions.exclude_employee(
        cycle, body["employee_id"], body["reason"], body["comment"], body.get("version")
    )
    return exclusion, 201


@cycles.route(f"/<{ID}:cycle_id>/exclusions/<{ID}:exclusion_id>", methods=["DELETE"])
@cycles.response(204)
@requires(can_manage_appraisals)
def delete_exclusion(cycle_id: int, exclusion_id: int):
    """Include again an employee excluded before the launch (HR)"""
    cycle = services.get_cycle(cycle_id)
    exclusions.cancel_exclusion(exclusions.get_exclusion(cycle, exclusion_id))
    return None


FollowUpPage = page_schema(FollowUpOut, "FollowUpPage")


@reviews.route("/follow-up")
@reviews.response(200, FollowUpPage)
@requires(can_manage_appraisals)
@reviews.arguments(FollowUpArgs, location="query")
def follow_up(args):
    """Promotion candidates or probation reviews (HR), newest cycle first, each with the
    employee's bands across cycles"""
    page = page_of(followup.follow_up(args["list"], None, args.get("cycle_id")), args)
    history = followup.histories(sorted({r.employee_id for r in page["items"]}))
    page["items"] = [
        {
            "review_id": r.id,
            "cycle_id": r.cycle_id,
            "cycle": r.cycle.name,
            "employee_id": r.employee_id,
            "employee_no": r.employee.employee_no,
            "name": r.employee.name,
            "employee_status": r.employee.status,
            "status": r.status,
            "band": r.effective_band,
            "outcome": r.outcome,
            "history": history.get(r.employee_id, []),
        }
        for r in page["items"]
    ]
    return page
