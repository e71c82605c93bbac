"""A department's scorecard for a target plan (issue 17, point 5): per KPI, the plan's target
against the actual by month, quarter and year, the attainment by the same formula as reviews
(``app.appraisals.scoring``), and a chart drawn on the server.

Actuals come from appraisal reviews: the ``actual`` of a KPI result of a review (not excluded)
of a position in the department's subtree, in a cycle whose period is exactly one of the plan's
months, quarters or its year; and from the monthly actuals entered or imported for the plan's
positions (app.targets.actuals). For one position and month a review's actual wins: it is the
figure the appraisal scored and the reviewer confirmed; the imported figure counts for the
positions and months no review covers. They roll up to the department by the KPI's rule: amounts and
counts add up over positions; a rate is the mean weighted by the same review's actual of the
base amount (the plan's line says which), the plain mean without it. A quarter (or the year)
without its own cycle is rolled up from its months by the rule over time, and marked partial
when a month is missing. Plain values only: the page and the PDF share it."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select, type_coerce

from app.appraisals.charts import BRAND, nice_max, svg
from app.appraisals.models import AppraisalCycle, KpiResult, Review
from app.appraisals.services.scoring import attainment
from app.core import clock
from app.core.numbers import grouped
from app.core.spreadsheets import safe_filename
from app.documents.context import company_name
from app.documents.render import render_pdf
from app.documents.services import Pdf
from app.extensions import db
from app.org.models import Department, Position
from app.targets import figures as fig
from app.targets import services as targets
from app.targets.models import MONTHS, PERIODS, QUARTERS, FastNumber, Rule, TargetActual, TargetPlan

ACTUAL_COLOUR = "#f9a825"


Source = tuple  # ("review", review id) or ("imported", position id, month): a rate's weights


def _actuals(plan: TargetPlan) -> tuple[dict[tuple[int, str], list[tuple[Decimal, Source]]], set]:
    """{(kpi id, period): [(actual, source)]} of the reviews of the subtree's positions in cycles
    that match a period of the plan, and of the recorded months no review covers; and the (kpi
    id, period) that a cycle covers. Two queries."""
    spans = {span: period for period, span in targets.period_dates(plan).items()}
    department = plan.department
    positions = (
        select(Position.id)
        .join(Department, Department.id == Position.department_id)
        .where(Department.path.startswith(department.path, autoescape=True))
    )
    first, last = targets.period_dates(plan)["y"]
    kpi_ids = [line.kpi_id for line in plan.lines]
    rows = db.session.execute(
        select(
            KpiResult.kpi_id,
            KpiResult.actual,
            Review.id,
            Review.position_id,
            AppraisalCycle.start_date,
            AppraisalCycle.end_date,
        )
        .join(Review, Review.id == KpiResult.review_id)
        .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
        .where(
            Review.position_id.in_(positions),
            Review.excluded_at.is_(None),
            KpiResult.actual.is_not(None),
            KpiResult.kpi_id.in_(kpi_ids),
            AppraisalCycle.start_date >= first,
            AppraisalCycle.end_date <= last,
        )
    )
    found: dict[tuple[int, str], list[tuple[Decimal, Source]]] = {}
    reviewed: set[tuple[int, int, str]] = set()
    cycles: set[tuple[int, str]] = set()  # (kpi id, quarter or year) that a cycle of its own covers
    for kpi_id, actual, review_id, position_id, start, end in rows:
        period = spans.get((start, end))
        if period is not None:
            found.setdefault((kpi_id, period), []).append((actual, ("review", review_id)))
            reviewed.add((position_id, kpi_id, period))
            cycles.add((kpi_id, period))
    imported = db.session.execute(
        select(
            TargetActual.position_id,
            TargetActual.kpi_id,
            TargetActual.month,
            type_coerce(TargetActual.value, FastNumber()),
        ).where(TargetActual.plan_id == plan.id, TargetActual.position_id.in_(positions))
    )
    months: dict[tuple[int, int], dict[str, Decimal]] = {}
    for position_id, kpi_id, month, value in imported:
        months.setdefault((position_id, kpi_id), {})[month] = value
        if (position_id, kpi_id, month) not in reviewed:  # a review's actual wins
            found.setdefault((kpi_id, month), []).append((value, ("imported", position_id, month)))
    # A quarter (or the year) that has a cycle of its own: the positions it did not review count
    # with their recorded months rolled up by the rule over time (the quarter then holds every
    # position, as a month does). Without such a cycle the department's months roll up instead.
    rules = {line.kpi_id: line.rule for line in plan.lines}
    for (position_id, kpi_id), values in months.items():
        for period, parts in [*((q, fig.quarter_months(q)) for q in QUARTERS), ("y", MONTHS)]:
            if (kpi_id, period) not in cycles or (position_id, kpi_id, period) in reviewed:
                continue
            figure = fig.combine(rules[kpi_id], [values.get(m) for m in parts])
            if figure is not None:
                found.setdefault((kpi_id, period), []).append((figure, ("imported", position_id, period)))
    return found, cycles


def _rolled(line, values: list[tuple[Decimal, Source]], base: dict[Source, Decimal] | None):
    numbers = [v for v, _r in values]
    weights = [base.get(r) for _v, r in values] if base is not None else None
    return fig.combine_nodes(line.rule, numbers, weights)


def scorecard(plan: TargetPlan) -> dict:
    labels = targets.period_labels(plan)
    found, cycles = _actuals(plan)
    kpis = []
    for line in plan.lines:
        base = None
        if line.rule == Rule.MEAN.value and line.base_kpi_id:
            base = {source: value for value, source in found_all(found, line.base_kpi_id)}
        actual: dict[str, Decimal | None] = {
            p: (_rolled(line, found[(line.kpi_id, p)], base) if (line.kpi_id, p) in found else None) for p in PERIODS
        }
        partial: dict[str, bool] = {}
        # quarters from their months, then the year from its quarters, where no cycle covered them
        for group, parts in [*((q, fig.quarter_months(q)) for q in QUARTERS), ("y", QUARTERS)]:
            if actual[group] is None:
                present = [actual[p] for p in parts if actual[p] is not None]
                if present:
                    actual[group] = fig.combine(line.rule, [actual[p] for p in parts])
                    partial[group] = len(present) < len(parts) or any(partial.get(p) for p in parts)
        rows = []
        for period in ("y", *QUARTERS, *MONTHS):
            target = getattr(line, period)
            score = attainment(actual[period], target, line.kpi.direction) if target else None
            rows.append(
                {
                    "period": period,
                    "label": labels[period],
                    "target": grouped(target),
                    "actual": grouped(actual[period]),
                    "target_value": target,
                    "actual_value": actual[period],
                    "partial": partial.get(period, False),
                    "attainment": None if score is None or score.value is None else round(score.value, 1),
                    "quarter": period in QUARTERS or period == "y",
                    "cycle": (period in QUARTERS or period == "y") and (line.kpi_id, period) in cycles,
                }
            )
        chart = _chart(
            [(labels[m][5:], getattr(line, m), actual[m]) for m in MONTHS],
            _("%(kpi)s: target and actual by month", kpi=line.kpi.name),
        )
        kpis.append(
            {
                "kpi_id": line.kpi_id,
                "code": line.kpi.code,
                "rule_value": line.rule,
                "name": line.kpi.name,
                "unit": line.kpi.unit,
                "rule": line.rule_enum.label,
                "rows": rows,
                "chart": str(chart),
            }
        )
    return {
        "department": plan.department.name,
        "fiscal_year": plan.fiscal_year,
        "revision": plan.revision,
        "status": plan.status_enum.label,
        "title": plan.title,
        "kpis": kpis,
        "span": f"{labels['m1']} – {labels['m12']}",
    }


def found_all(found, kpi_id: int) -> list[tuple[Decimal, Source]]:
    """Every (actual, source) of a KPI, whatever the period (a rate's weights)."""
    return [item for (k, _p), items in found.items() if k == kpi_id for item in items]


def _chart(
    items: list[tuple[str, Decimal | None, Decimal | None]], title: str, width: int = 640, height: int = 220
) -> Markup:
    """Target (bar) and actual (bar beside it) per month, with a legend; values as floats only
    for drawing (the table beside it shows the exact figures)."""
    left, bottom, top = 56, 28, 22
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = nice_max(max([float(v) for _l, t, a in items for v in (t, a) if v is not None] + [0]))
    body = [
        f'<rect x="{left}" y="4" width="10" height="10" fill="{BRAND}"/>'
        f'<text x="{left + 14}" y="13" font-size="10">{escape(_("Target"))}</text>'
        f'<rect x="{left + 80}" y="4" width="10" height="10" fill="{ACTUAL_COLOUR}"/>'
        f'<text x="{left + 94}" y="13" font-size="10">{escape(_("Actual"))}</text>'
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        tick = f"{peak * fraction:,.0f}" if peak >= 10 else f"{peak * fraction:g}"
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#6c757d">'
            f"{tick}</text>"
        )
    slot = plot_w / max(len(items), 1)
    for i, (name, target, actual) in enumerate(items):
        x = left + i * slot + slot * 0.1
        for j, (value, colour) in enumerate(((target, BRAND), (actual, ACTUAL_COLOUR))):
            if value is None:
                continue
            h = plot_h * float(value) / peak if peak else 0
            body.append(
                f'<rect x="{x + j * slot * 0.4:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.38:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(name)}: {escape(grouped(value))}</title></rect>'
            )
        body.append(
            f'<text x="{x + slot * 0.4:.1f}" y="{height - 10}" font-size="10" text-anchor="middle" '
            f'fill="#495057">{escape(name)}</text>'
        )
    return svg(width, height, title, body, "scorecard")


SCORECARD = "documents/pdf/scorecard.html"


def scorecard_pdf(plan: TargetPlan, lang: str):
    """The scorecard as a PDF in ``lang`` (rendered on each request: actuals change)."""
    with force_locale(lang):
        context = {**scorecard(plan), "company": company_name(), "printed": clock.today().isoformat()}
    name = f"{context['department']}-{plan.fiscal_year}-{_('Scorecard')}.pdf"
    return Pdf(safe_filename(name, default="scorecard"), data=render_pdf(SCORECARD, context, lang))
