"""Duty coverage (职能覆盖): a department's functions, the links from a version's duties to them,
and the department's coverage matrix (functions × positions: gaps, overlaps, orphan duties)."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.api.common import ETAG, ID, IF_MATCH, Blueprint, check_first, etag, seen_version
from app.api.coverage_schemas import CoverageOut, FunctionsIn, FunctionsOut, LinksIn, LinksOut
from app.auth.permissions import requires
from app.core.errors import NotFound
from app.jobs import coverage
from app.jobs import services as jobs
from app.jobs.access import (
    can_link_duties,
    can_manage_job_descriptions,
    can_use_coverage,
    can_use_job_descriptions,
    can_view_coverage,
    can_view_version,
    heads_department,
)
from app.jobs.services.drafting import department_functions
from app.org import services as org
from app.org.access import can_edit_org, can_view_org

blp = Blueprint(
    "coverage",
    __name__,
    url_prefix="/api/v1",
    description="Duty coverage (职能覆盖): a department's functions, the links from the duties of "
    "job descriptions to them, and the department's coverage matrix.",
)

DEPARTMENT = f"/departments/<{ID}:department_id>"
VERSION = f"/job-descriptions/versions/<{ID}:version_id>"


def _functions_out(department):
    return (
        {"department_id": department.id, "functions": department.functions, "version": department.version},
        200,
        etag(department),
    )


@blp.route(f"{DEPARTMENT}/functions")
@blp.response(200, FunctionsOut, headers=ETAG)
@requires(can_view_org)
def get_functions(department_id: int):
    """Read a department's functions, in order"""
    return _functions_out(org.get_department(department_id))


@blp.route(f"{DEPARTMENT}/functions", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, FunctionsOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(FunctionsIn)
def replace_functions(body, department_id: int):
    """Replace a department's functions

    Every function, in order: those sent with their `id` are kept (and the duties linked to them
    stay linked), the others created, those left out removed. Errors name the item
    (`functions.2.text`). Send the department's version (`version`, or its ETag in If-Match); an
    older one answers 409.
    """
    department = org.get_department(department_id)
    seen = seen_version(body.get("version"))
    org.save_functions(
        department, [org.FunctionItem(f["id"], f["title"], f["text"]) for f in body["functions"]], seen_version=seen
    )
    return _functions_out(department)


def _visible_version(version_id: int):
    version = jobs.get_version(version_id)
    if not can_view_version(current_user, version):
        raise NotFound(_("No such job-description version."))
    return version


def _linkable_version(version_id: int):
    """A version whose links the user may change: HR, or a head of the position's department
    while it is a draft (a version in another state is the service's 422, for those who could)."""
    version = _visible_version(version_id)
    if not can_link_duties(current_user, version) and not (
        version.status not in coverage.LINKABLE
        and (can_manage_job_descriptions(current_user) or heads_department(current_user, version.position.department))
    ):
        abort(403)
    return version


def _links_out(version):
    editable = can_link_duties(current_user, version)
    functions = sorted(department_functions(version.position).values(), key=lambda f: f.position)
    suggestions = coverage.version_suggestions(version) if editable else {}
    duties = [
        {
            "id": d.id,
            "section": s.heading or "",
            "text": d.text,
            "functions": [link.function_id for link in d.function_links if link.function_id is not None],
            "suggestions": [{"function_id": f, "score": score} for f, score in suggestions.get(d.id, [])],
        }
        for s in version.sections
        for d in s.duties
    ]
    return (
        {
            "version_id": version.id,
            "status": version.status,
            "editable": editable,
            "functions": functions,
            "duties": duties,
            "version": version.version,
        },
        200,
        etag(version),
    )


@blp.route(f"{VERSION}/links")
@blp.response(200, LinksOut, headers=ETAG)
@requires(can_use_job_descriptions)  # and then the object check
def get_links(version_id: int):
    """Read the links from a version's duties to its department's functions, with suggestions

    Suggestions (while the caller may change the links) rank the functions by the similarity of
    their text to the duty's.
    """
    return _links_out(_visible_version(version_id))


@blp.route(f"{VERSION}/links", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, LinksOut, headers=ETAG)
@requires(can_use_job_descriptions)  # and then: HR, or the head of the position's department (drafts)
@check_first(_linkable_version)
@blp.arguments(LinksIn)
def replace_links(body, version_id: int):
    """Set the functions some duties serve

    Duties sent get exactly the functions sent (an empty list unlinks them); the others keep
    theirs. Only a draft or a version in review (HR) can change (422 otherwise). Errors name the
    item (`duties.0.functions`). Send the version's lock counter (`version`, or its ETag in
    If-Match); an older one answers 409.
    """
    version = _linkable_version(version_id)
    seen = seen_version(body.get("version"))
    coverage.save_links(version, [(d["id"], d["functions"]) for d in body["duties"]], current_user, seen)
    return _links_out(jobs.get_version(version_id))


@blp.route(f"{DEPARTMENT}/coverage")
@blp.response(200, CoverageOut)
@requires(can_use_coverage)  # and then: HR, or a head of the department or one above it (else 404)
def get_coverage(department_id: int):
    """Read a department's coverage matrix

    Its functions with the positions (and duties) serving each, the gaps (functions no duty
    serves), the overlaps (functions served by more positions than `overlap_limit`) and the
    orphans (duties serving no function). A position's duties come from its job description in
    force, else from the version being worked on.
    """
    department = org.get_department(department_id)
    if not can_view_coverage(current_user, department):
        raise NotFound(_("No such department."))
    return coverage.matrix_document(coverage.department_matrix(department))
