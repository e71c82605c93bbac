"""Target plans (目标分解): list, create, read (with the tree), set or remove a KPI line, hand down,
approve, lock, revise, delete a draft; and a person's own handed-down targets."""

from __future__ import annotations

from flask import Response, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.common import (
    ETAG,
    ID,
    IF_MATCH,
    IF_MATCH_REQUIRED,
    LOCATION,
    Blueprint,
    check_first,
    errors_under,
    etag,
    multipart_body,
    page_of,
    reference,
    seen_version,
)
from app.api.schemas import page_schema
from app.api.target_plan_schemas import (
    ActualsIn,
    ActualsOut,
    HandDownIn,
    HandDownOut,
    ImportOut,
    OwnTargetsOut,
    PlanActionIn,
    PlanRevisionIn,
    ScorecardOut,
    TargetLineIn,
    TargetPlanArgs,
    TargetPlanIn,
    TargetPlanOut,
    TargetPlanSummary,
    TargetTreeOut,
)
from app.auth.permissions import requires
from app.core.errors import ServiceError
from app.extensions import db
from app.org import services as org
from app.org.models import Position
from app.targets import access, actuals, services, spreadsheet
from app.targets.models import MONTHS, TargetPlan

blp = Blueprint(
    "target_plans",
    __name__,
    url_prefix="/api/v1/target-plans",
    description="Target plans (目标分解): a department's KPI targets for a fiscal year, split over "
    "quarters and months and handed down to sub-departments and positions.",
)
PlanPage = page_schema(TargetPlanSummary, "TargetPlanPage")
PLAN = f"/<{ID}:plan_id>"


def _visible(plan_id: int):
    plan = services.get_plan(plan_id)
    if not access.can_view_plan(current_user, plan):
        abort(404)
    return plan


def _checked(rule):
    def check(plan_id: int, **_ignored):
        plan = _visible(plan_id)
        if not rule(current_user, plan):
            abort(403)

    return check


def _kpi(line) -> dict:
    return {"id": line.kpi.id, "code": line.kpi.code, "name": line.kpi.name, "unit": line.kpi.unit}


def plan_out(plan) -> dict:
    return {
        "id": plan.id,
        "department_id": plan.department_id,
        "department_name": plan.department.name,
        "fiscal_year": plan.fiscal_year,
        "start_month": plan.start_month,
        "revision": plan.revision,
        "status": plan.status,
        "title": plan.title,
        "change_note": plan.change_note,
        "previous_id": plan.previous_id,
        "approved_at": plan.approved_at,
        "version": plan.version,
        "lines": [
            {
                "kpi": _kpi(line),
                "rule": line.rule,
                "base_kpi_id": line.base_kpi_id,
                "split": line.split,
                "percents": line.percents,
                "figures": line.figures(),
                "difference": services.line_differences(plan, line).get("y"),
            }
            for line in plan.lines
        ],
        "problems": services.plan_problems(plan) if plan.is_draft else [],
    }


@blp.route("")
@blp.response(200, PlanPage)
@requires(access.can_use_plans)
@blp.arguments(TargetPlanArgs, location="query")
def list_plans(args):
    """List the target plans you may see (HR: all; a department head: their departments)"""
    scope = access.plan_scope(current_user)
    query = services.list_plans(scope)
    if args.get("department_id"):
        query = query.where(TargetPlan.department_id == args["department_id"])
    if args.get("fiscal_year"):
        query = query.where(TargetPlan.fiscal_year == args["fiscal_year"])
    return page_of(query, args)


@blp.route("", methods=["POST"])
@blp.response(201, TargetPlanOut, headers={**ETAG, **LOCATION})
@requires(access.can_use_plans)
@blp.arguments(TargetPlanIn)
def create_plan(body):
    """Start a draft plan for a department and a fiscal year"""
    department = reference(org.get_department, body["department_id"], "department_id")
    if not access.can_plan_department(current_user, department):
        abort(403)
    plan = services.create_plan(department, body["fiscal_year"], current_user, body.get("title", ""))
    return plan_out(plan), 201, {**etag(plan), "Location": url_for(".get_plan", plan_id=plan.id)}


@blp.route("/mine")
@blp.response(200, OwnTargetsOut)
@requires(access.can_see_own_targets)
def own_targets():
    """The targets handed down to the positions you hold, from the plans in force"""
    rows = services.shares_of_positions(org.positions_held_by_user(current_user))
    return {
        "items": [
            {
                "plan_id": plan.id,
                "fiscal_year": plan.fiscal_year,
                "position_id": share.position_id,
                "kpi": _kpi(line),
                "figures": share.figures(),
            }
            for share, line, plan in rows
        ]
    }


@blp.route(PLAN)
@blp.response(200, TargetPlanOut, headers=ETAG)
@requires(access.can_use_plans)
def get_plan(plan_id: int):
    """Read a plan with its KPI lines, their split and what stands in the way of approval"""
    plan = _visible(plan_id)
    return plan_out(plan), 200, etag(plan)


@blp.route(f"{PLAN}/tree")
@blp.response(200, TargetTreeOut, headers=ETAG)
@requires(access.can_use_plans)
def get_tree(plan_id: int):
    """The plan as a tree: each node's target, what it handed down and the remainder, per KPI"""
    plan = _visible(plan_id)
    tree = services.plan_tree(plan)
    nodes = [
        {
            "kind": node.kind,
            "id": node.id,
            "code": node.code,
            "name": node.name,
            "level": node.level,
            "cells": [
                {
                    "kpi_id": kpi_id,
                    "target": cell.target,
                    "handed_down": cell.handed or None,
                    "remainder": cell.remainder or None,
                    "over_allocated": cell.over,
                }
                for kpi_id, cell in node.cells.items()
            ],
        }
        for node in tree.nodes
    ]
    return {"plan_id": plan.id, "nodes": nodes}, 200, etag(plan)


@blp.route(f"{PLAN}/lines/<{ID}:kpi_id>", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, TargetPlanOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_edit_plan))
@blp.arguments(TargetLineIn)
def set_line(body, plan_id: int, kpi_id: int):
    """Set a KPI line of a draft plan: its annual target, rule and split over the months"""
    plan = services.get_plan(plan_id)
    version = seen_version(body.pop("version", None))
    services.set_line(plan, services.LineData(kpi_id=kpi_id, **body), seen_version=version)
    return plan_out(plan), 200, etag(plan)


@blp.route(f"{PLAN}/lines/<{ID}:kpi_id>", methods=["DELETE"])
@blp.doc(parameters=[IF_MATCH_REQUIRED])
@blp.response(204)
@requires(access.can_use_plans)
@check_first(_checked(access.can_edit_plan))
def remove_line(plan_id: int, kpi_id: int):
    """Remove a KPI line (and what was handed down of it) from a draft plan"""
    plan = services.get_plan(plan_id)
    services.remove_line(plan, kpi_id, seen_version(None))
    return Response(status=204)


@blp.route(f"{PLAN}/hand-down", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, HandDownOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_edit_plan))
@blp.arguments(HandDownIn)
def hand_down(body, plan_id: int):
    """Hand a KPI's target down to sub-departments or positions

    From the plan's department, or from `parent_department_id`, a sub-department that received a
    share. Receivers get their share of every month; handing down again replaces it. More than the
    whole of an additive KPI is refused (422 under `confirm_over`) unless HR confirms it.
    """
    plan = services.get_plan(plan_id)
    version = seen_version(body.pop("version", None))
    receivers = body["receivers"]
    data = services.HandDown(
        kpi_id=body["kpi_id"],
        parent_department_id=body.get("parent_department_id") or plan.department_id,
        nodes=[
            ("department", r["department_id"]) if r.get("department_id") else ("position", r["position_id"])
            for r in receivers
        ],
        method=body["method"],
        values=[r.get("value") for r in receivers] if body["method"] != "even" else [],
        confirm_over=body["confirm_over"],
    )
    if body["method"] != "even":
        for i, receiver in enumerate(receivers):
            if receiver.get("value") is None:
                raise ServiceError.field(f"receivers.{i}.value", _("Give a figure for each receiver."))
    with errors_under(
        rename={"nodes": "receivers", **{f"values.{i}": f"receivers.{i}.value" for i in range(len(receivers))}}
    ):
        count = services.hand_down(plan, data, version, access.may_over_allocate(current_user))
    return {"shares": count, "plan": plan_out(plan)}, 200, etag(plan)


def _action(plan_id: int, body: dict, act):
    plan = services.get_plan(plan_id)
    result = act(plan, seen_version(body.pop("version", None)))
    target = result if result is not None else plan
    return plan_out(target), 200, etag(target)


@blp.route(f"{PLAN}/approve", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, TargetPlanOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_approve_plan))
@blp.arguments(PlanActionIn)
def approve_plan(body, plan_id: int):
    """Approve a draft plan (HR; a department's head when the setting allows it)

    Its splits must add up and nothing may be over-allocated (422 listing the problems). The
    revision it replaces is superseded and kept.
    """
    return _action(plan_id, body, lambda plan, seen: services.approve(plan, current_user, seen))


@blp.route(f"{PLAN}/lock", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, TargetPlanOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_lock_plan))
@blp.arguments(PlanActionIn)
def lock_plan(body, plan_id: int):
    """Lock an approved plan (HR): no more revisions"""
    return _action(plan_id, body, lambda plan, seen: services.lock(plan, seen))


@blp.route(f"{PLAN}/revise", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(201, TargetPlanOut, headers={**ETAG, **LOCATION})
@requires(access.can_use_plans)
@check_first(_checked(access.can_edit_plan))
@blp.arguments(PlanRevisionIn)
def revise_plan(body, plan_id: int):
    """Start a revision of an approved plan: a new draft copied from it, with the reason"""
    plan = services.get_plan(plan_id)
    new = services.revise(plan, current_user, body["change_note"], seen_version(body.pop("version", None)))
    return plan_out(new), 201, {**etag(new), "Location": url_for(".get_plan", plan_id=new.id)}


@blp.route(PLAN, methods=["DELETE"])
@blp.doc(parameters=[IF_MATCH_REQUIRED])
@blp.response(204)
@requires(access.can_use_plans)
@check_first(_checked(access.can_edit_plan))
def delete_plan(plan_id: int):
    """Delete a draft plan"""
    services.delete_draft(services.get_plan(plan_id), seen_version(None))
    return Response(status=204)


# --- the scorecard, monthly actuals, imports ----------------------------------------------------


@blp.route(f"{PLAN}/scorecard")
@blp.response(200, ScorecardOut)
@requires(access.can_use_plans)
def get_scorecard(plan_id: int):
    """The department's scorecard: target against actual by month, quarter and year, with attainment

    Actuals are the positions' (the department's subtree): reviews' actuals of cycles matching a
    period of the plan, and the monthly actuals recorded for the plan where no review gives one
    for the same position, KPI and month (the review wins). They roll up by the KPI's rule: amounts
    add up, rates are weighted by their base amount, counts add up over positions. A quarter or the
    year without a cycle of its own is rolled up from its months (`partial` when some are missing).
    Attainment uses the reviews' formula.
    """
    from app.documents.scorecard import scorecard

    plan = _visible(plan_id)
    card = scorecard(plan)
    return {
        "plan_id": plan.id,
        "department_id": plan.department_id,
        "department_name": plan.department.name,
        "fiscal_year": plan.fiscal_year,
        "revision": plan.revision,
        "status": plan.status,
        "kpis": [
            {
                "kpi": _kpi(line),
                "rule": line.rule,
                "periods": [
                    {
                        "period": row["period"],
                        "label": row["label"],
                        "target": row["target_value"],
                        "actual": row["actual_value"],
                        "partial": row["partial"],
                        "attainment": row["attainment"],
                    }
                    for row in kpi["rows"]
                ],
            }
            for line, kpi in zip(plan.lines, card["kpis"])
        ],
    }


def actuals_out(plan, changed: int = 0) -> dict:
    labels = services.period_labels(plan)
    recorded = actuals.actuals_of(plan)
    codes = dict(
        db.session.execute(
            db.select(Position.id, Position.code).where(Position.id.in_({p for p, _k, _m in recorded}))
        ).all()
    )
    order = {m: i for i, m in enumerate(MONTHS)}
    return {
        "plan_id": plan.id,
        "version": plan.version,
        "changed": changed,
        "items": [
            {
                "position_id": p,
                "position_code": codes.get(p, ""),
                "kpi_id": k,
                "month": m,
                "label": labels[m],
                "value": value,
            }
            for (p, k, m), value in sorted(
                recorded.items(), key=lambda item: (codes.get(item[0][0], ""), item[0][1], order[item[0][2]])
            )
        ],
    }


@blp.route(f"{PLAN}/actuals")
@blp.response(200, ActualsOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_record_actuals))
def get_actuals(plan_id: int):
    """The monthly actuals recorded for the plan's positions (HR; the department's head)"""
    plan = services.get_plan(plan_id)
    return actuals_out(plan), 200, etag(plan)


@blp.route(f"{PLAN}/actuals", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, ActualsOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_record_actuals))
@blp.arguments(ActualsIn)
def put_actuals(body, plan_id: int):
    """Record monthly actuals of the plan's positions (the plan in force: approved or locked)

    Each item sets one position's actual for a KPI of the plan in one month (`m1`–`m12` of the
    fiscal year), exactly as sent; a null value removes it; months not listed stay. Every problem
    is answered at once (422, `items.N.value`, `items.N.position_id`…), nothing recorded. The
    plan's version is the actuals' version: send the ETag of the GET in If-Match (409 when stale).
    """
    plan = services.get_plan(plan_id)
    version = seen_version(body.pop("version", None))
    entries = [
        actuals.Entry(item["position_id"], item["kpi_id"], item["month"], item["value"], f"items.{i}")
        for i, item in enumerate(body["items"])
    ]
    changed = actuals.save(plan, entries, current_user, version)
    return actuals_out(plan, changed), 200, etag(plan)


FILE_DOC = multipart_body(
    dry_run={
        "type": "boolean",
        "default": True,
        "description": "true (the default): check only. false: apply a clean file (If-Match or `version` required).",
    },
    version={"type": "integer"},
    confirm_over={"type": "boolean", "description": "Plan import: HR confirms handing down more than the whole."},
)
FILE_FIELDS = {"file", "dry_run", "version", "confirm_over"}


def _upload() -> tuple[bytes, bool, int | None, bool]:
    """The multipart request of an import: the file's bytes, dry run, version, confirm_over."""
    if request.mimetype != "multipart/form-data":
        raise ServiceError.field("file", _("Send the file as multipart/form-data in the field “file”."))
    unknown = sorted((set(request.files) | set(request.form)) - FILE_FIELDS)
    if unknown:
        raise ServiceError.field(unknown[0], _("Unknown field."))
    files = request.files.getlist("file")
    if len(files) != 1:
        raise ServiceError.field("file", _("Send exactly one file, with its name, in the field “file”."))
    flags = {}
    for name in ("dry_run", "confirm_over"):
        raw = request.form.get(name, "").strip().lower()
        if raw not in ("", "true", "false", "1", "0"):
            raise ServiceError.field(name, _("Write true or false."))
        flags[name] = raw in ("true", "1") if raw else name == "dry_run"
    raw_version = request.form.get("version", "").strip()
    if raw_version and not (raw_version.isdigit() and len(raw_version) < 10):
        raise ServiceError.field("version", _("Not a valid integer."))
    return (
        files[0].read(spreadsheet.MAX_BYTES + 1),
        flags["dry_run"],
        int(raw_version) if raw_version else None,
        flags["confirm_over"],
    )


def _refuse(problems) -> None:
    raise ServiceError(
        _("The file has problems: nothing was applied."),
        {
            "file": [
                _("Row %(row)d, %(column)s: %(message)s", row=p.row, column=p.column or "—", message=p.message)
                for p in problems
            ]
        },
    )


@blp.route(f"{PLAN}/import", methods=["POST"])
@blp.doc(parameters=[IF_MATCH], **FILE_DOC)
@blp.response(200, ImportOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_edit_plan))
def import_plan(plan_id: int):
    """Import a draft plan's tree from its XLSX export: a dry run, then apply

    The same file as the pages' import (one row per node and KPI: the year and twelve months). A
    dry run (the default) checks everything; every problem is answered at once as 422 under
    `errors.file` ("Row 3, 2026-02: Enter a number."), nothing applied. `dry_run=false` checks
    again and applies a clean file (If-Match or `version`; 409 when stale).
    """
    plan = services.get_plan(plan_id)
    data, dry_run, version, confirm = _upload()
    if not dry_run:
        version = seen_version(version)
    checked = spreadsheet.check(plan, spreadsheet.read_rows(data), access.may_over_allocate(current_user), confirm)
    if not checked.clean:
        _refuse(checked.problems)
    rows = len(checked.lines) + len(checked.shares)
    if not dry_run:
        spreadsheet.apply(plan, checked, version)
    return {"dry_run": dry_run, "rows": rows, "applied": not dry_run, "version": plan.version}, 200, etag(plan)


@blp.route(f"{PLAN}/actuals/import", methods=["POST"])
@blp.doc(parameters=[IF_MATCH], **FILE_DOC)
@blp.response(200, ImportOut, headers=ETAG)
@requires(access.can_use_plans)
@check_first(_checked(access.can_record_actuals))
def import_actuals(plan_id: int):
    """Import monthly actuals from an XLSX or CSV file: a dry run, then apply

    The file of the actuals page: position code, position, KPI code, KPI, then one column per month
    headed 2026-01… (CSV in UTF-8 or GB18030). An empty cell leaves the month as it is. A dry run
    (the default) answers every problem at once as 422 under `errors.file`; `dry_run=false`
    applies a clean file (If-Match or `version`; 409 when stale).
    """
    plan = services.get_plan(plan_id)
    data, dry_run, version, _confirm = _upload()
    if not dry_run:
        version = seen_version(version)
    checked = actuals.check_file(plan, *spreadsheet.read_table(data))
    if not checked.clean:
        _refuse(checked.problems)
    rows = len(checked.entries)
    if not dry_run:
        actuals.apply_file(plan, checked, current_user, version)
    return {"dry_run": dry_run, "rows": rows, "applied": not dry_run, "version": plan.version}, 200, etag(plan)
