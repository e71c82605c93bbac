"""The libraries job descriptions draw from: KPIs, competencies, and base job descriptions
(templates), with cloning from another position. Services flush; the caller commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.core.fields import Values
from app.db import utcnow
from app.extensions import db
from app.jobs import services
from app.jobs.content import clean_content, version_content, without_ids, without_links
from app.jobs.fields import COMPETENCY, KPI
from app.jobs.models import SCALE_MAX, Competency, CompetencyRequirement, Direction, JobTemplate, Kpi, KpiTarget
from app.org.models import Position


def _clean(value) -> str:
    return (value or "").strip()


def _unique(model, code: str, current_id, message: str) -> None:
    query = select(model.id).where(func.lower(model.code) == code.lower())
    if current_id is not None:
        query = query.where(model.id != current_id)
    if db.session.scalar(query) is not None:
        raise ServiceError.field("code", message)


# --- KPIs -------------------------------------------------------------------------------------


class KpiData(Values):
    """A KPI's declared fields (app/jobs/fields.py), as the pages and the API give them."""

    entity = KPI


def get_kpi(kpi_id: int) -> Kpi:
    kpi = db.session.get(Kpi, kpi_id)
    if kpi is None:
        raise NotFound(_("No such KPI."))
    return kpi


def _apply_kpi(kpi: Kpi, data: KpiData) -> None:
    code, name = _clean(data.code), _clean(data.name)
    if not code:
        raise ServiceError.field("code", _("Enter a code."))
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    if data.direction not in Direction.values():
        raise ServiceError.field("direction", _("Choose whether higher or lower is better."))
    _unique(Kpi, code, kpi.id, _("Another KPI already has this code."))
    if kpi.id is not None and data.direction != kpi.direction and _kpi_in_use(kpi):
        raise ServiceError.field(
            "direction",
            _(
                "Targets already use this KPI; changing its direction would turn their thresholds around. "
                "Create a new KPI instead."
            ),
        )
    kpi.code, kpi.name, kpi.unit, kpi.direction = code, name, _clean(data.unit), data.direction
    kpi.definition, kpi.measurement = _clean(data.definition), _clean(data.measurement)


def _kpi_in_use(kpi: Kpi) -> bool:
    return bool(db.session.scalar(select(func.count()).where(KpiTarget.kpi_id == kpi.id)))


def create_kpi(data: KpiData) -> Kpi:
    kpi = Kpi()
    _apply_kpi(kpi, data)
    db.session.add(kpi)
    db.session.flush()
    return kpi


def update_kpi(kpi: Kpi, data: KpiData, seen_version: int | None) -> None:
    check_version(kpi, seen_version)
    _apply_kpi(kpi, data)
    db.session.flush()


def archive_kpi(kpi: Kpi, archived: bool = True) -> None:
    kpi.archived_at = utcnow() if archived else None
    db.session.flush()


def list_kpis(search: str = "", include_archived: bool = False):
    query = select(Kpi)
    if not include_archived:
        query = query.where(Kpi.archived_at.is_(None))
    if search:
        query = query.where(
            or_(Kpi.name.icontains(search, autoescape=True), Kpi.code.icontains(search, autoescape=True))
        )
    return query.order_by(Kpi.code)


def kpi_usage(kpi_ids) -> dict[int, int]:
    """{kpi id: number of targets using it} (one query)."""
    ids = list(kpi_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(KpiTarget.kpi_id, func.count()).where(KpiTarget.kpi_id.in_(ids)).group_by(KpiTarget.kpi_id)
        ).all()
    )


def kpi_choices() -> list[Kpi]:
    return list(db.session.scalars(list_kpis()))


# --- competencies -----------------------------------------------------------------------------


class CompetencyData(Values):
    """A competency's declared fields (app/jobs/fields.py); ``levels`` in order."""

    entity = COMPETENCY


def get_competency(competency_id: int) -> Competency:
    competency = db.session.get(Competency, competency_id)
    if competency is None:
        raise NotFound(_("No such competency."))
    return competency


def _apply_competency(competency: Competency, data: CompetencyData) -> None:
    code, name = _clean(data.code), _clean(data.name)
    if not code:
        raise ServiceError.field("code", _("Enter a code."))
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    _unique(Competency, code, competency.id, _("Another competency already has this code."))
    levels = [_clean(text) for text in (data.levels or [])][:SCALE_MAX]
    levels += [""] * (SCALE_MAX - len(levels))
    competency.code, competency.name, competency.description = code, name, _clean(data.description)
    competency.levels = levels


def create_competency(data: CompetencyData) -> Competency:
    competency = Competency()
    _apply_competency(competency, data)
    db.session.add(competency)
    db.session.flush()
    return competency


def update_competency(competency: Competency, data: CompetencyData, seen_version: int | None) -> None:
    check_version(competency, seen_version)
    _apply_competency(competency, data)
    db.session.flush()


def archive_competency(competency: Competency, archived: bool = True) -> None:
    competency.archived_at = utcnow() if archived else None
    db.session.flush()


def list_competencies(search: str = "", include_archived: bool = False):
    query = select(Competency)
    if not include_archived:
        query = query.where(Competency.archived_at.is_(None))
    if search:
        query = query.where(
            or_(Competency.name.icontains(search, autoescape=True), Competency.code.icontains(search, autoescape=True))
        )
    return query.order_by(Competency.code)


def competency_usage(competency_ids) -> dict[int, int]:
    ids = list(competency_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(CompetencyRequirement.competency_id, func.count())
            .where(CompetencyRequirement.competency_id.in_(ids))
            .group_by(CompetencyRequirement.competency_id)
        ).all()
    )


def competency_choices() -> list[Competency]:
    return list(db.session.scalars(list_competencies()))


# --- base job descriptions (templates) and cloning ---------------------------------------------


def get_template(template_id: int) -> JobTemplate:
    template = db.session.get(JobTemplate, template_id)
    if template is None:
        raise NotFound(_("No such base job description."))
    return template


def list_templates(search: str = "", include_archived: bool = False):
    query = select(JobTemplate)
    if not include_archived:
        query = query.where(JobTemplate.archived_at.is_(None))
    if search:
        query = query.where(JobTemplate.name.icontains(search, autoescape=True))
    return query.order_by(JobTemplate.name, JobTemplate.id)


def create_template(name: str, content: dict, source: str = "") -> JobTemplate:
    name = _clean(name)
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    template = JobTemplate(
        name=name[:120], source=_clean(source)[:200], content=without_links(without_ids(clean_content(content)))
    )
    db.session.add(template)
    db.session.flush()
    return template


def save_as_template(version, name: str) -> JobTemplate:
    return create_template(
        name or version.title, version_content(version), source=f"{version.position.code} v{version.number}"
    )


def archive_template(template: JobTemplate, archived: bool = True) -> None:
    template.archived_at = utcnow() if archived else None
    db.session.flush()


def draft_from_template(position: Position, template: JobTemplate, user):
    """A new draft for ``position`` with the template's content (under the position's title)."""
    content = without_ids(template.content)
    content["title"] = position.title
    return services.start_draft(position, user, content=content, action="created", copied=True)


def draft_from_position(position: Position, source: Position, user):
    """A new draft for ``position`` copied from ``source``'s job description in force."""
    version = services.current_version(source.id, full=True)
    if version is None:
        raise ServiceError.field("source", _("%(title)s has no published job description to copy.", title=source.title))
    content = without_ids(version_content(version))
    content["title"] = position.title
    return services.start_draft(position, user, content=content, action="created", copied=True)
