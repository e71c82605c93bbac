"""Demo data. Each loader creates only what is missing, so loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.views import register_demo_logins
from app.demo import org_data
from app.extensions import db
from app.org import services as org
from app.org.models import Department, Employee, Position

# One account per role, all with the same password, which satisfies the default policy.
DEMO_PASSWORD = "RoleBook-2026"
DEMO_USERS = (
    ("admin@rolebook.demo", DEMO_PASSWORD, "admin"),
    ("hr@rolebook.demo", DEMO_PASSWORD, "hr"),
    ("manager@rolebook.demo", DEMO_PASSWORD, "manager"),
    ("employee@rolebook.demo", DEMO_PASSWORD, "employee"),
)
register_demo_logins(DEMO_USERS)  # the login page lists them when SHOW_DEMO_LOGINS is on
DEMO_NAMES = {
    "admin@rolebook.demo": "系统管理员",
    "hr@rolebook.demo": "人事专员 李娜",
    "manager@rolebook.demo": "电商部经理 王强",
    "employee@rolebook.demo": "在线客服 陈静",
}


def load_users() -> int:
    created = 0
    for email, password, role in DEMO_USERS:
        if auth_services.find_user(email) is None:
            auth_services.create_user(email, role, password, DEMO_NAMES[email])
            created += 1
    return created


def _by_code(model, key: str) -> dict:
    """Every existing row of ``model`` by its code (one query), to skip what is already there."""
    column = getattr(model, key)
    return {getattr(row, key): row for row in db.session.scalars(select(model).order_by(column))}


def load_departments() -> tuple[dict[str, Department], list[Department]]:
    """The departments, parents first; returns them by code and the ones created now."""
    departments = _by_code(Department, "code")
    created = []
    for spec in org_data.DEPARTMENTS:
        if spec["code"] in departments:
            continue
        parent = departments[spec["parent"]] if spec.get("parent") else None
        department = org.create_department(
            org.DepartmentData(
                code=spec["code"],
                name=spec["name"],
                parent_id=parent.id if parent else None,
                nature=spec.get("nature", ""),
                service_object=spec.get("service_object", ""),
                authority=spec.get("authority", ""),
                management_functions=spec.get("management_functions", ""),
                evaluation_criteria=spec.get("evaluation_criteria", ""),
                functions=[f for f in spec.get("functions", ()) if isinstance(f, str)],
                collaborations=list(spec.get("collaborations", ())),
            )
        )
        if any(not isinstance(f, str) for f in spec.get("functions", ())):  # functions with a title
            org.save_functions(
                department,
                [
                    org.FunctionItem(None, "", f) if isinstance(f, str) else org.FunctionItem(None, *f)
                    for f in spec["functions"]
                ],
                seen_version=None,
            )
        departments[spec["code"]] = department
        created.append(department)
    return departments, created


def load_positions(departments: dict[str, Department]) -> tuple[dict[str, Position], int]:
    """The positions, superiors first; returns them by code and how many were created."""
    positions = _by_code(Position, "code")

    def ref(code: str | None) -> int | None:  # a position earlier in POSITIONS (or already there)
        return positions[code].id if code else None

    created = 0
    for spec in org_data.POSITIONS:
        if spec["code"] in positions:
            continue
        data = org.PositionData(
            code=spec["code"],
            title=spec["title"],
            department_id=departments[spec["department"]].id,
            grade=spec.get("grade", ""),
            headcount=spec.get("headcount", 1),
            reports_to_id=ref(spec.get("reports_to")),
            dotted_superior_ids=[ref(c) for c in spec.get("dotted", ())],
            purpose=spec.get("purpose", ""),
            authority=spec.get("authority", ""),
            management_responsibility=spec.get("management_responsibility", ""),
            working_conditions=spec.get("working_conditions", ""),
            acting_position_id=ref(spec.get("acting")),
            acting_note=spec.get("acting_note", ""),
        )
        # create_position queries the dotted superiors after putting the new, not yet added,
        # position in its department's list; an autoflush there warns (SAWarning). The service
        # flushes itself at the end, so nothing is lost by not autoflushing.
        with db.session.no_autoflush:
            positions[spec["code"]] = org.create_position(data)
        created += 1
    return positions, created


def set_heads(new_departments: list[Department], positions: dict[str, Position]) -> None:
    """Each department created in this run gets its head, a position of its own (created after it)."""
    heads = {spec["code"]: spec.get("head") for spec in org_data.DEPARTMENTS}
    for department in new_departments:
        head = positions.get(heads.get(department.code) or "")
        if head is not None and head.department_id == department.id:
            department.head_position = head
    db.session.flush()


def load_employees(positions: dict[str, Position]) -> int:
    """The employees, their assignment history and their links to the demo accounts; returns
    the number of records created (employees and assignments)."""
    existing = set(db.session.scalars(select(Employee.employee_no)))
    created = 0
    for number, name, email, hire_date, status, login, assignments in org_data.EMPLOYEES:
        if number in existing:
            continue
        user = auth_services.find_user(login) if login else None
        if user is not None and user.employee is not None:
            user = None  # already linked to someone else (edited after a previous load)
        data = org.EmployeeData(
            employee_no=number,
            name=name,
            email=email,
            hire_date=hire_date,
            status=org_data.REGULAR if status == org_data.LEFT else status,
            user_id=user.id if user else None,
        )
        employee = org.create_employee(data)
        for code, start, end in assignments:
            org.assign(employee, positions[code].id, start, end)
        if status == org_data.LEFT:  # only now: the service refuses to assign someone who left
            data.status = status
            org.update_employee(employee, data, employee.version)
        created += 1 + len(assignments)
    return created


def load_organisation() -> int:
    """中山市纳迪服饰有限公司 from the seeds (see ``app.demo.org_data``); returns the records created."""
    departments, new_departments = load_departments()
    positions, new_positions = load_positions(departments)
    set_heads(new_departments, positions)
    return len(new_departments) + new_positions + load_employees(positions)


def load_demo() -> int:
    """Everything the demo needs; returns the number of records created."""
    from app.demo import appraisals, feedback, job_descriptions, targets

    created = load_users() + load_organisation()
    kpis, competencies, libraries = job_descriptions.load_libraries()
    created += libraries + job_descriptions.load_job_descriptions(kpis, competencies)
    return created + appraisals.load_appraisals() + targets.load_targets() + feedback.load_feedback()
