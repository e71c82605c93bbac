"""Job-description versions of a position: the version in force, the history, one version with
its whole content, starting, replacing and discarding a draft, the workflow actions (submit,
return, approve, publish, waive a linter finding, acknowledge), the linter's findings and the
comparison of two versions.

The object rules are the pages' (app/jobs/lookups.py, app/jobs/views/_helpers.py): a version the user may not see
answers 404 like one that does not exist; drafting needs ``can_draft_jd`` (else 403); reviewing
needs ``can_review_jd``. Every change and action says which version of the record it is based on
(``version`` in the body, or the ETag in If-Match): an older one answers 409 and changes nothing.
A transition the workflow refuses answers 422 with the service's message.
"""

from __future__ import annotations

from flask import Response, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.common import (
    ETAG,
    ID,
    IF_MATCH,
    IF_MATCH_REQUIRED,
    LOCATION,
    Blueprint,
    Row,
    check_first,
    errors_under,
    etag,
    limit_body,
    page_of,
    reference,
    require_body,
    seen_version,
    update_versioned,
)
from app.api.content_schemas import ContentUpdate, DraftIn
from app.api.job_schemas import (
    AcknowledgementOut,
    ActionIn,
    CompareArgs,
    ComparisonOut,
    LintOut,
    PublishIn,
    ReturnIn,
    VersionOut,
    VersionSummaryOut,
    WaiveIn,
)
from app.api.schemas import PageArgs, page_schema
from app.auth.permissions import requires
from app.core.errors import NotFound, ServiceError
from app.jobs import compare as comparing
from app.jobs import library, lint
from app.jobs import services as jobs
from app.jobs.access import (
    can_draft_jd,
    can_manage_job_descriptions,
    can_review_jd,
    can_use_job_descriptions,
    can_view_position_jd,
    can_view_version,
)
from app.jobs.content import version_document
from app.org import services as org

blp = Blueprint(
    "job_description_versions",
    __name__,
    url_prefix="/api/v1",
    description="A position's job description (岗位说明书) in dated versions: draft → in_review → "
    "approved → published → superseded. Published versions never change; editing one "
    "starts a new draft.",
)
VersionPage = page_schema(VersionSummaryOut, "VersionPage")

POSITION = f"/positions/<{ID}:position_id>/job-description"
VERSION = f"/job-descriptions/versions/<{ID}:version_id>"
# A draft's content: room for the largest valid one (500 items of 2,000 characters per list).
MAX_CONTENT_BYTES = 8 * 1024 * 1024


# --- objects, with the pages' object checks -------------------------------------------------------


def visible_position(position_id: int):
    """The position, if the user may see its job description; else the 404 of a missing one."""
    position = org.get_position(position_id)
    if not can_view_position_jd(current_user, position):
        raise NotFound(_("No such position."))
    return position


def draftable_position(position_id: int):
    position = visible_position(position_id)
    if not can_draft_jd(current_user, position):
        abort(403)
    return position


def visible_version(version_id: int):
    """The version with its content, if the user may see it; else the 404 of a missing one."""
    version = jobs.get_version(version_id)
    if not can_view_version(current_user, version):
        raise NotFound(_("No such job-description version."))
    return version


def draftable_version(version_id: int):
    version = visible_version(version_id)
    if not can_draft_jd(current_user, version.position):
        abort(403)
    return version


def version_out(version, status: int = 200, headers: dict | None = None):
    """A version loaded with its content (``jobs.get_version``), with its history and ETag."""
    events = [
        {
            "action": e.action,
            "label": jobs.event_label(e.action),
            "comment": e.comment,
            "actor_label": e.actor_label,
            "at": e.at,
        }
        for e in version.events
    ]
    return Row(version, **version_document(version), events=events), status, {**etag(version), **(headers or {})}


def _action(version_id: int, body: dict, act, review: bool = False):
    """A workflow action on a version the user may see: drafting ones need ``can_draft_jd``,
    review ones ``can_review_jd`` (checked by the route); ``act(version, seen_version)``."""
    version = visible_version(version_id)
    if not review and not can_draft_jd(current_user, version.position):
        abort(403)
    act(version, seen_version(body.pop("version", None)))
    return version_out(jobs.get_version(version_id))


# --- a position's job description -----------------------------------------------------------------


@blp.route(POSITION)
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_use_job_descriptions)  # and then the object check
def get_job_description(position_id: int):
    """Read a position's job description in force

    404 while the position has none published (or when the user may not see it).
    """
    position = visible_position(position_id)
    current = jobs.current_version(position.id)
    if current is None:
        raise NotFound(_("This position has no published job description yet."))
    return version_out(jobs.get_version(current.id))


@blp.route(f"{POSITION}/versions")
@blp.response(200, VersionPage)
@requires(can_use_job_descriptions)
@blp.arguments(PageArgs, location="query")
def list_versions(args, position_id: int):
    """List a position's versions, newest first

    Those who cannot draft for the position (its holders) see only published and superseded versions.
    """
    position = visible_position(position_id)
    return page_of(jobs.version_history(position.id, include_open=can_draft_jd(current_user, position)), args)


@blp.route(f"{POSITION}/versions", methods=["POST"])
@blp.response(201, VersionOut, headers={**ETAG, **LOCATION})
@requires(can_use_job_descriptions)  # and then: HR, admins, managers of the position
@check_first(draftable_position)
@limit_body(MAX_CONTENT_BYTES)
@blp.arguments(DraftIn)
def start_draft(body, position_id: int):
    """Start a draft

    From a base job description (`template_id`), from another position's job description in force
    (`from_position_id`), with a whole `content`, or (an empty body) as a copy of the version in
    force. A request without a body is refused (422): send `{}` for the copy. Refused (422) while
    another version of the position is being worked on.
    """
    position = draftable_position(position_id)
    require_body()
    if "template_id" in body:
        template = reference(library.get_template, body["template_id"], "template_id")
        version = library.draft_from_template(position, template, current_user)
    elif "from_position_id" in body:
        source = reference(org.get_position, body["from_position_id"], "from_position_id")
        if not can_draft_jd(current_user, source):
            raise ServiceError.field("from_position_id", _("No such position."))
        with errors_under(rename={"source": "from_position_id"}):
            version = library.draft_from_position(position, source, current_user)
    elif "content" in body:
        with errors_under("content"):
            version = jobs.start_draft(position, current_user, content=body["content"])
    else:
        version = jobs.start_draft(position, current_user)
    version_id = version.id
    return version_out(jobs.get_version(version_id), 201, {"Location": url_for(".get_version", version_id=version_id)})


# --- one version ----------------------------------------------------------------------------------


@blp.route(VERSION)
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_use_job_descriptions)  # and then the object check
def get_version(version_id: int):
    """Read a version with its whole content

    Rows carry their ids: send them back when replacing the draft's content to keep the rows.
    """
    return version_out(visible_version(version_id))


@blp.route(VERSION, methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_use_job_descriptions)  # and then: whoever may draft for the position
@check_first(draftable_version)
@limit_body(MAX_CONTENT_BYTES)
@blp.arguments(ContentUpdate)
def replace_content(body, version_id: int):
    """Replace a draft's content

    The whole content, validated like the editor's: every problem at once, under its dotted name
    (`sections.0.duties.2.weight`). Rows sent with their `id` are kept, the others created, rows left
    out deleted. Only a draft can be edited (422 otherwise). Send the version the change is based on
    (`version`, or the ETag in If-Match); an older one answers 409.
    """

    def save(version, content: dict, seen_version: int) -> None:
        jobs.save_content(version, content, current_user, seen_version)

    update_versioned(draftable_version(version_id), body, save, lambda content: content)
    return version_out(jobs.get_version(version_id))


@blp.route(VERSION, methods=["DELETE"])
@blp.doc(parameters=[IF_MATCH_REQUIRED])
@blp.response(204)
@requires(can_use_job_descriptions)  # and then: whoever may draft for the position
def discard_draft(version_id: int):
    """Discard a draft

    Only a draft (422 otherwise). If-Match must hold the ETag it is based on.
    """
    version = draftable_version(version_id)
    jobs.discard_draft(version, seen_version(None))
    return Response(status=204)


@blp.route(f"{VERSION}/lint")
@blp.response(200, LintOut)
@requires(can_use_job_descriptions)
def lint_findings(version_id: int):
    """List the linter's findings of a version

    Each must be fixed or waived (with a reason) before the version can be approved.
    """
    version = visible_version(version_id)
    findings = lint.lint_version(version) if version.is_open else []
    waived = {w.finding_key: w for w in version.waivers}
    return {
        "findings": [
            Row(f, waived=f.key in waived, waiver_reason=getattr(waived.get(f.key), "reason", None)) for f in findings
        ],
        "open": len(lint.unwaived(findings, version)),
    }


@blp.route(f"{VERSION}/compare")
@blp.response(200, ComparisonOut)
@requires(can_use_job_descriptions)
@blp.arguments(CompareArgs, location="query")
def compare_versions(args, version_id: int):
    """Compare two versions

    Added, removed and changed duties, requirements, KPI targets and competencies, and changed texts,
    as on the comparison page: of two versions of one position, the older one is `old`.
    """
    new = visible_version(version_id)
    old = reference(visible_version, args["with_"], "with")
    if old.position_id != new.position_id and not can_manage_job_descriptions(current_user):
        raise ServiceError.field("with", _("No such job-description version."))
    if old.position_id == new.position_id and old.number > new.number:
        old, new = new, old
    return Row(comparing.compare_versions(old, new), old=old, new=new)


# --- workflow -------------------------------------------------------------------------------------


@blp.route(f"{VERSION}/submit", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_use_job_descriptions)  # and then: whoever may draft for the position
@check_first(draftable_version)
@blp.arguments(ActionIn)
def submit_version(body, version_id: int):
    """Submit a draft for review"""
    return _action(version_id, body, lambda v, seen: jobs.submit(v, current_user, seen))


@blp.route(f"{VERSION}/return", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_review_jd)
@check_first(visible_version)
@blp.arguments(ReturnIn)
def return_version(body, version_id: int):
    """Return a version in review (or approved) to its drafters, with a comment"""
    return _action(
        version_id, body, lambda v, seen: jobs.return_for_changes(v, current_user, body["comment"], seen), review=True
    )


@blp.route(f"{VERSION}/approve", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_review_jd)
@check_first(visible_version)
@blp.arguments(ActionIn)
def approve_version(body, version_id: int):
    """Approve a version in review

    Every linter finding must be fixed or waived first (422 otherwise).
    """
    return _action(version_id, body, lambda v, seen: jobs.approve(v, current_user, seen), review=True)


@blp.route(f"{VERSION}/publish", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_review_jd)
@check_first(visible_version)
@blp.arguments(PublishIn)
def publish_version(body, version_id: int):
    """Publish an approved version from an effective date

    The version in force before it is superseded; the holders of the position are asked to acknowledge it.
    """
    return _action(
        version_id, body, lambda v, seen: jobs.publish(v, current_user, body["effective_date"], seen), review=True
    )


@blp.route(f"{VERSION}/waive", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, VersionOut, headers=ETAG)
@requires(can_review_jd)
@check_first(visible_version)
@blp.arguments(WaiveIn)
def waive_finding(body, version_id: int):
    """Waive a linter finding, with the reason"""
    return _action(
        version_id,
        body,
        lambda v, seen: jobs.waive(v, body["finding_key"], body["reason"], current_user, seen),
        review=True,
    )


@blp.route(f"{VERSION}/acknowledge", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, AcknowledgementOut)
@requires(can_use_job_descriptions)  # and then: a holder of the position, on the version in force
@check_first(visible_version)
@blp.arguments(ActionIn)
def acknowledge_version(body, version_id: int):
    """Acknowledge the version in force of your position

    For the holders of the position (the caller's employee record). Acknowledging twice keeps the first date.
    """
    version = visible_version(version_id)
    acknowledgement = jobs.acknowledge(
        version, getattr(current_user, "employee", None), seen_version(body.pop("version", None))
    )
    return acknowledgement
