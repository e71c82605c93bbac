"""Small factories that build test data through the same services as the app."""

from __future__ import annotations

import itertools

from app.auth import services as auth_services
from app.extensions import db

PASSWORD = "Correct-Horse-42"
_counter = itertools.count(1)


def create_user(role: str = "employee", email: str | None = None, password: str = PASSWORD, **kwargs):
    email = email or f"{role}{next(_counter)}@example.test"
    user = auth_services.create_user(email, role, password, kwargs.pop("name", ""))
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.commit()
    return user


# --- organisation -------------------------------------------------------------------------


def create_department(code: str, name: str | None = None, parent=None, **fields):
    from app.org import services as org

    department = org.create_department(
        org.DepartmentData(code=code, name=name or code, parent_id=parent.id if parent else None, **fields)
    )
    db.session.commit()
    return department


def create_position(code: str, department, title: str | None = None, reports_to=None, headcount: int = 1, **fields):
    from app.org import services as org

    position = org.create_position(
        org.PositionData(
            code=code,
            title=title or code,
            department_id=department.id,
            headcount=headcount,
            reports_to_id=reports_to.id if reports_to else None,
            **fields,
        )
    )
    db.session.commit()
    return position


def create_employee(number: str, name: str | None = None, position=None, user=None, start=None, **fields):
    from datetime import date

    from app.org import services as org

    employee = org.create_employee(
        org.EmployeeData(employee_no=number, name=name or number, user_id=user.id if user else None, **fields)
    )
    if position is not None:
        org.assign(employee, position.id, start or date(2020, 1, 1))
    db.session.commit()
    return employee


# --- job descriptions -------------------------------------------------------------------------


def shop_with_a_dotted_line_candidate():
    """电商部 with its manager, a 品质经理 beside it (a dotted-line superior to be) and an agent
    reporting to the manager: (department, manager, quality manager, agent)."""
    ec = create_department("EC", "电商部")
    manager = create_position("EC-MGR", ec, "电商部经理")
    quality = create_position("QA-MGR", ec, "品质经理")
    agent = create_position("EC-CS", ec, "在线客服", reports_to=manager, headcount=2)
    return ec, manager, quality, agent


def create_kpi(code: str, name: str | None = None, direction: str = "higher", unit: str = ""):
    from app.jobs import library

    kpi = library.create_kpi(library.KpiData(code=code, name=name or code, unit=unit, direction=direction))
    db.session.commit()
    return kpi


def create_competency(code: str, name: str | None = None, levels=None):
    from app.jobs import library

    competency = library.create_competency(
        library.CompetencyData(
            code=code, name=name or code, levels=levels or [f"{code} level {n}" for n in range(1, 6)]
        )
    )
    db.session.commit()
    return competency


def jd_content(
    title: str = "Job",
    duties=("Do the work.",),
    requirements=(("education", "College degree", True),),
    kpis=(),
    competencies=(),
    heading: str = "Main duties",
    **fields,
) -> dict:
    """Content in the shape of app.jobs.content; kpis: (kpi, target, weight[, period, threshold, stretch])."""
    content = {
        "title": title,
        "purpose": fields.get("purpose", ""),
        "authority": fields.get("authority", ""),
        "management_responsibility": "",
        "working_conditions": fields.get("working_conditions", ""),
        "sections": [
            {
                "id": None,
                "heading": heading,
                "duties": [{"id": None, "text": d, "frequency": None, "standard": "", "weight": None} for d in duties],
            }
        ],
        "requirements": [{"id": None, "kind": k, "text": t, "required": r} for k, t, r in requirements],
        "competencies": [{"id": None, "competency_id": c.id, "level": level} for c, level in competencies],
        "kpis": [],
    }
    for spec in kpis:
        kpi, target, weight, *rest = spec
        period = rest[0] if rest else "monthly"
        threshold = rest[1] if len(rest) > 1 else None
        stretch = rest[2] if len(rest) > 2 else None
        content["kpis"].append(
            {
                "id": None,
                "kpi_id": kpi.id,
                "target": target,
                "threshold": threshold,
                "stretch": stretch,
                "weight": weight,
                "period": period,
                "note": "",
            }
        )
    return content


def publish_jd(position, content: dict | None = None, user=None, effective=None, waive_all: bool = True):
    """A published job description for ``position`` (through the whole workflow)."""
    from datetime import date

    from app.jobs import lint, services

    version = services.start_draft(position, user, content=content or jd_content(position.title))
    services.submit(version, user)
    if waive_all:
        for finding in lint.lint_version(version):
            services.waive(version, finding.key, "test data", user)
    services.approve(version, user)
    services.publish(version, user, effective or date(2026, 1, 1))
    db.session.commit()
    return version


# --- background tasks -----------------------------------------------------------------------


def create_task(owner, kind: str = "manual", status: str = "queued", **fields):
    """A task row as a consumer would leave it (nothing is queued)."""
    from app.tasks.models import Task

    task = Task(kind=kind, params=fields.pop("params", {}), owner_id=owner.id, status=status, **fields)
    db.session.add(task)
    db.session.commit()
    return task


def logged_in_client(app, user, lang="en"):
    """A test client of ``app`` logged in as ``user``, speaking ``lang``."""
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    if lang != "en":
        client.post("/language", data={"lang": lang})
    return client
