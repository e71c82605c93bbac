"""The KPI and competency libraries that job descriptions draw from: list (search, archived),
read, create, replace (PUT), change (PATCH), archive and restore. Managers read them (to draft
for their team); HR and admins keep them. Both libraries have the same endpoints, made by
:func:`_library_routes` over the services of ``app.jobs.library``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for

from app.api.common import ETAG, ID, IF_MATCH, LOCATION, Blueprint, Row, etag, page_of, update_versioned
from app.api.library_schemas import CompetencyIn, CompetencyOut, CompetencyUpdate, KpiIn, KpiOut, KpiUpdate, LibraryArgs
from app.api.schemas import page_schema, patch
from app.auth.permissions import requires
from app.jobs import library
from app.jobs.access import can_browse_libraries, can_manage_job_descriptions

kpis = Blueprint(
    "kpis",
    __name__,
    url_prefix="/api/v1/kpis",
    description="The KPI library (销售额, 转化率 …): what KPI targets of job descriptions measure. "
    "Managers read it; HR and admins keep it.",
)
competencies = Blueprint(
    "competencies",
    __name__,
    url_prefix="/api/v1/competencies",
    description="The competency library, with what each level 1–5 means. Managers read it; HR and admins keep it.",
)
blueprints = (kpis, competencies)


@dataclass(frozen=True)
class Library:
    blp: Blueprint
    one: str  # "kpi": endpoint names and the URL's id
    many: str  # "kpis"
    label: str  # "KPI", in summaries
    kept_by: str  # what keeps an archived entry: "KPI targets"
    get: Callable[[int], Any]
    create: Callable
    update: Callable  # (obj, data, seen_version)
    archive: Callable  # (obj, archived)
    listing: Callable  # (search, include_archived) → select
    usage: Callable  # (ids) → {id: count}
    data: type  # the service's Values of the entry's declared fields (app/jobs/fields.py): the request's
    schema_in: type
    schema_update: type
    schema_out: type


def _library_routes(lib: Library) -> None:
    """Register the seven endpoints of a library on its blueprint."""
    blp, item = lib.blp, f"/<{ID}:{lib.one}_id>"
    page = page_schema(lib.schema_out, f"{lib.schema_out.__name__.removesuffix('Out')}Page")

    def answer(obj, status: int = 200, headers: dict | None = None):
        return Row(obj, usage=lib.usage([obj.id]).get(obj.id, 0)), status, {**etag(obj), **(headers or {})}

    def current(obj) -> dict:
        return {name: getattr(obj, name) for name in lib.data.entity.names}

    def change(body: dict, object_id: int, partial: bool):
        obj = lib.get(object_id)
        update_versioned(obj, body, lib.update, lambda values: lib.data(**values), current(obj) if partial else None)
        return answer(obj)

    def set_archived(object_id: int, archived: bool):
        obj = lib.get(object_id)
        lib.archive(obj, archived=archived)
        return answer(obj)

    @blp.route("", endpoint=f"list_{lib.many}")
    @blp.doc(summary=f"List the {lib.label} library by code")
    @blp.response(200, page)
    @requires(can_browse_libraries)
    @blp.arguments(LibraryArgs, location="query")
    def list_items(args):
        result = page_of(lib.listing(args.get("q", "").strip(), args["archived"]), args)
        usage = lib.usage(obj.id for obj in result["items"])
        result["items"] = [Row(obj, usage=usage.get(obj.id, 0)) for obj in result["items"]]
        return result

    @blp.route(item, endpoint=f"get_{lib.one}")
    @blp.doc(summary=f"Read a {lib.label}")
    @blp.response(200, lib.schema_out, headers=ETAG)
    @requires(can_browse_libraries)
    def get_item(**ids):
        return answer(lib.get(ids[f"{lib.one}_id"]))

    @blp.route("", methods=["POST"], endpoint=f"create_{lib.one}")
    @blp.doc(summary=f"Add a {lib.label} to the library")
    @blp.response(201, lib.schema_out, headers={**ETAG, **LOCATION})
    @requires(can_manage_job_descriptions)
    @blp.arguments(lib.schema_in)
    def create_item(body):
        obj = lib.create(lib.data(**body))
        return answer(obj, 201, {"Location": url_for(f".get_{lib.one}", **{f"{lib.one}_id": obj.id})})

    @blp.route(item, methods=["PUT"], endpoint=f"replace_{lib.one}")
    @blp.doc(
        summary=f"Replace a {lib.label}",
        parameters=[IF_MATCH],
        description="Every field is set. Send the version the change is based on (`version`, or the ETag in "
        "If-Match); an older one answers 409 with what changed since.",
    )
    @blp.response(200, lib.schema_out, headers=ETAG)
    @requires(can_manage_job_descriptions)
    @blp.arguments(lib.schema_update)
    def replace_item(body, **ids):
        return change(body, ids[f"{lib.one}_id"], partial=False)

    @blp.route(item, methods=["PATCH"], endpoint=f"update_{lib.one}")
    @blp.doc(
        summary=f"Change some fields of a {lib.label}",
        parameters=[IF_MATCH],
        description="Only the fields sent change. Send the version the change is based on (`version`, or the "
        "ETag in If-Match); an older one answers 409 with what changed since.",
    )
    @blp.response(200, lib.schema_out, headers=ETAG)
    @requires(can_manage_job_descriptions)
    @blp.arguments(patch(lib.schema_update))
    def update_item(body, **ids):
        return change(body, ids[f"{lib.one}_id"], partial=True)

    @blp.route(f"{item}/archive", methods=["POST"], endpoint=f"archive_{lib.one}")
    @blp.doc(
        summary=f"Archive a {lib.label}",
        description=f"It leaves the library's list (see `archived`); {lib.kept_by} that already use it keep it.",
    )
    @blp.response(200, lib.schema_out, headers=ETAG)
    @requires(can_manage_job_descriptions)
    def archive_item(**ids):
        return set_archived(ids[f"{lib.one}_id"], True)

    @blp.route(f"{item}/restore", methods=["POST"], endpoint=f"restore_{lib.one}")
    @blp.doc(summary=f"Restore an archived {lib.label}")
    @blp.response(200, lib.schema_out, headers=ETAG)
    @requires(can_manage_job_descriptions)
    def restore_item(**ids):
        return set_archived(ids[f"{lib.one}_id"], False)


_library_routes(
    Library(
        kpis,
        "kpi",
        "kpis",
        "KPI",
        "KPI targets",
        library.get_kpi,
        library.create_kpi,
        library.update_kpi,
        library.archive_kpi,
        library.list_kpis,
        library.kpi_usage,
        library.KpiData,
        KpiIn,
        KpiUpdate,
        KpiOut,
    )
)
_library_routes(
    Library(
        competencies,
        "competency",
        "competencies",
        "competency",
        "Job descriptions",
        library.get_competency,
        library.create_competency,
        library.update_competency,
        library.archive_competency,
        library.list_competencies,
        library.competency_usage,
        library.CompetencyData,
        CompetencyIn,
        CompetencyUpdate,
        CompetencyOut,
    )
)
