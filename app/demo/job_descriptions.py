"""Loading the demo job descriptions (see ``app.demo.jd_data``): the libraries, a published job
description for every seed position (imported from its seed text, tidied, approved and
published), a newer version under review, the base job descriptions and some acknowledgements.
Each step creates only what is missing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.auth import services as auth_services
from app.demo import jd_data
from app.extensions import db
from app.jobs import library, lint, services
from app.jobs.content import TEXT_FIELDS, version_content, without_ids
from app.jobs.models import Competency, JobDescriptionVersion, JobTemplate, Kpi
from app.jobs.text_to_content import import_text
from app.org.models import Position
from app.org.services import current_holders

SEEDS = Path(__file__).resolve().parent / "seeds"
WAIVER = "演示数据：按原岗位说明书保留。"
UNACKNOWLEDGED = {"在线客服 陈静", "陈静"}  # the demo employee still has to acknowledge (try it)


def seed_text(prefix: str, start: str, end: str | None) -> str:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    begin = text.index(start)
    stop = text.index(end, begin + len(start)) if end else len(text)
    return text[begin:stop]


def load_libraries() -> tuple[dict[str, Kpi], dict[str, Competency], int]:
    kpis = {k.code: k for k in db.session.scalars(select(Kpi))}
    competencies = {c.code: c for c in db.session.scalars(select(Competency))}
    created = 0
    for code, name, unit, direction, definition, measurement in jd_data.KPIS:
        if code not in kpis:
            kpis[code] = library.create_kpi(
                library.KpiData(
                    code=code,
                    name=name,
                    unit=unit,
                    direction=direction,
                    definition=definition,
                    measurement=measurement,
                )
            )
            created += 1
    for code, name, description, topic in jd_data.COMPETENCIES:
        if code not in competencies:
            competencies[code] = library.create_competency(
                library.CompetencyData(
                    code=code, name=name, description=description, levels=jd_data.competency_levels(topic)
                )
            )
            created += 1
    return kpis, competencies, created


def _targets(specs, kpis) -> list[dict]:
    """The targets of ``specs``; positions whose specs name only monthly targets get the same
    targets per quarter too (sums such as sales tripled, rates as they are), so that quarterly
    appraisals have something to score."""
    specs = list(specs)
    if specs and all(period == "monthly" for *_values, period in specs):

        def quarter(value, code):
            return None if value is None else (value * 3 if code in jd_data.ADDITIVE_KPIS else value)

        specs += [
            (code, quarter(target, code), quarter(threshold, code), quarter(stretch, code), weight, "quarterly")
            for code, target, threshold, stretch, weight, _period in specs
        ]
    return [
        {
            "id": None,
            "kpi_id": kpis[code].id,
            "target": target,
            "threshold": threshold,
            "stretch": stretch,
            "weight": weight,
            "period": period,
            "note": "",
        }
        for code, target, threshold, stretch, weight, period in specs
    ]


def _levels(specs, competencies) -> list[dict]:
    return [{"id": None, "competency_id": competencies[code].id, "level": level} for code, level in specs]


def _requirements(specs) -> list[dict]:
    return [{"id": None, "kind": kind, "text": text, "required": required} for kind, text, required in specs]


def tidy(content: dict, spec: dict, kpis: dict, competencies: dict) -> dict:
    """What HR does after importing: headings, duplicates, requirements, texts, KPIs, competencies."""
    if spec.get("heading"):
        for section in content["sections"]:
            section["heading"] = spec["heading"]
    if spec.get("dedupe"):
        seen = set()
        for section in content["sections"]:
            kept = []
            for duty in section["duties"]:
                key = lint.normalise(duty["text"])
                if key not in seen:
                    seen.add(key)
                    kept.append(duty)
            section["duties"] = kept
    if spec.get("requirements") is not None:
        content["requirements"] = _requirements(spec["requirements"])
    content.update(spec.get("set", {}))
    content["kpis"] = _targets(spec.get("kpis", ()), kpis)
    content["competencies"] = _levels(spec.get("competencies", ()), competencies)
    return content


def link_duties(content: dict, position: Position) -> None:
    """Link the duties of ``content`` to the functions of the position's department as
    ``jd_data.DUTY_FUNCTIONS`` says (functions numbered from 1 in the department's order)."""
    rules = jd_data.DUTY_FUNCTIONS.get(position.code)
    if not rules:
        return
    functions = [f.id for f in position.department.functions]
    for section in content["sections"]:
        for duty in section["duties"]:
            numbers = next((numbers for prefix, numbers in rules if duty["text"].startswith(prefix)), ())
            duty["functions"] = [functions[n - 1] for n in numbers if n <= len(functions)]


def _publish(version, user, effective) -> None:
    services.submit(version, user)
    for finding in lint.unwaived(lint.lint_version(version), version):
        services.waive(version, finding.key, WAIVER, user)
    services.approve(version, user)
    services.publish(version, user, effective)


def load_job_descriptions(kpis: dict, competencies: dict) -> int:
    hr = auth_services.find_user("hr@rolebook.demo")
    positions = {p.code: p for p in db.session.scalars(select(Position))}
    with_versions = set(db.session.scalars(select(JobDescriptionVersion.position_id).distinct()))
    created = 0
    for spec in jd_data.JOB_DESCRIPTIONS:
        position = positions.get(spec["position"])
        if position is None or position.id in with_versions:
            continue
        imported = import_text(seed_text(spec["seed"], spec["start"], spec["end"]), position.title)
        content = tidy(imported.content, spec, kpis, competencies)
        link_duties(content, position)
        content["title"] = position.title
        for name in TEXT_FIELDS:  # the organisation's own texts of the post win over the seed's
            content[name] = getattr(position, name) or content[name]
        version = services.start_draft(position, hr, content=content, action="imported")
        _publish(version, hr, spec["effective"])
        if not db.session.scalar(select(JobTemplate.id).where(JobTemplate.name == position.title)):
            library.create_template(position.title, content, source=jd_data.SEED_DOCUMENTS[spec["seed"]])
        created += 1
    created += _load_revision(positions, kpis, competencies)
    created += _load_templates()
    created += _acknowledge(positions)
    return created


def _load_revision(positions, kpis, competencies) -> int:
    spec = jd_data.REVISION
    position = positions.get(spec["position"])
    if position is None or services.open_version(position.id) is not None:
        return 0
    current = services.current_version(position.id, full=True)
    if current is None or current.number > 1:
        return 0
    author = auth_services.find_user(spec["author"])
    version = services.start_draft(position, author)
    content = without_ids(version_content(version))
    duties = content["sections"][0]["duties"]
    old, new = spec["change_duty"]
    for duty in duties:
        if duty["text"] == old:
            duty["text"] = new
    duties.extend(
        {"id": None, "text": text, "frequency": frequency, "standard": standard, "weight": None}
        for text, frequency, standard in spec["add_duties"]
    )
    content["kpis"] = _targets(spec["kpis"], kpis)
    content["competencies"] = _levels(spec["competencies"], competencies)
    services.save_content(version, content, author, version.version)
    services.submit(version, author)
    return 1


def _load_templates() -> int:
    existing = set(db.session.scalars(select(JobTemplate.name)))
    created = 0
    for name, seed, start, end, heading, requirements in jd_data.TEMPLATES:
        if name in existing:
            continue
        content = import_text(seed_text(seed, start, end), name).content
        content["title"] = name
        if heading:
            content["sections"] = [s for s in content["sections"] if heading in s["heading"]]
        if requirements is not None:
            content["requirements"] = _requirements(requirements)
        library.create_template(name, content, source=jd_data.SEED_DOCUMENTS[seed])
        created += 1
    return created


def _acknowledge(positions) -> int:
    """The holders of the published versions acknowledge them, except the demo employee."""
    published = {
        v.position_id: v
        for v in db.session.scalars(select(JobDescriptionVersion).where(JobDescriptionVersion.status == "published"))
    }
    created = 0
    for position_id, holders in current_holders(list(published)).items():
        for employee in holders:
            if employee.name in UNACKNOWLEDGED or (employee.user and employee.user.email == "employee@rolebook.demo"):
                continue
            if services.acknowledgement_of(published[position_id], employee) is None:
                services.acknowledge(published[position_id], employee)
                created += 1
    return created
