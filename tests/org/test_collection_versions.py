"""A change to a record's own lists (a position's dotted lines, a department's functions and
collaborations) is a change of the record: its version goes up, a save based on the older
version is refused with what changed, and the audit trail has it. Through the pages and the API."""

from __future__ import annotations

from app.audit.models import AuditEvent
from app.extensions import db
from app.org import services
from app.org.models import Department, Position
from tests import factories


def _position_form(position, **overrides):
    data = {
        "code": position.code,
        "title": position.title,
        "department_id": position.department_id,
        "grade": "",
        "headcount": str(position.headcount),
        "reports_to_id": "",
        "purpose": "",
        "authority": "",
        "management_responsibility": "",
        "working_conditions": "",
        "acting_position_id": "",
        "acting_note": "",
        "dotted_superior_ids": "",
        "version": position.version,
    }
    data.update(overrides)
    return data


def _department_form(department, **overrides):
    data = {
        "code": department.code,
        "name": department.name,
        "parent_id": "",
        "head_position_id": "",
        "nature": "",
        "service_object": "",
        "authority": "",
        "management_functions": "",
        "functions": "",
        "collaborations": "",
        "evaluation_criteria": "",
        "version": department.version,
    }
    data.update(overrides)
    return data


def test_dotted_lines_alone_bump_the_version_and_a_stale_page_save_is_refused(login):
    first, second = login("hr"), login("hr")
    _ec, _manager, _quality, agent = factories.shop_with_a_dotted_line_candidate()
    seen = agent.version
    form = _position_form(agent, reports_to_id="EC-MGR")
    assert (
        first.post(f"/org/positions/{agent.id}/edit", data={**form, "dotted_superior_ids": "QA-MGR"}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Position, agent.id).version == seen + 1

    response = second.post(f"/org/positions/{agent.id}/edit", data={**form, "grade": "S1"})  # opened before
    page = response.get_data(as_text=True)
    assert "changed by someone else" in page and "Dotted-line reporting" in page and "QA-MGR" in page
    db.session.expire_all()
    position = db.session.get(Position, agent.id)
    assert [p.code for p in position.dotted_superiors] == ["QA-MGR"] and position.grade == ""


def test_saving_unchanged_lists_changes_no_version(login):
    hr = login("hr")
    ec, _manager, quality, agent = factories.shop_with_a_dotted_line_candidate()
    services.update_position(
        agent,
        services.PositionData(
            code="EC-CS",
            title="在线客服",
            department_id=ec.id,
            headcount=2,
            reports_to_id=agent.reports_to_id,
            dotted_superior_ids=[quality.id],
        ),
        agent.version,
    )
    db.session.commit()
    version = agent.version
    form = _position_form(agent, reports_to_id="EC-MGR", dotted_superior_ids="QA-MGR")
    assert hr.post(f"/org/positions/{agent.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Position, agent.id).version == version


def test_department_functions_alone_bump_the_version_and_a_stale_page_save_is_refused(login):
    first, second = login("hr"), login("admin")
    department = factories.create_department("EC", "电商部")
    seen = department.version
    form = _department_form(department, functions="负责网店日常维护", collaborations="供应商: 保障供货")
    assert first.post(f"/org/departments/{department.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Department, department.id).version == seen + 1
    # the same lists again: no change, no new version
    assert first.post(f"/org/departments/{department.id}/edit", data={**form, "version": seen + 1}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Department, department.id).version == seen + 1

    response = second.post(
        f"/org/departments/{department.id}/edit", data=_department_form(department, version=seen, nature="网络销售")
    )
    page = response.get_data(as_text=True)
    assert "Main functions" in page and "负责网店日常维护" in page and "供应商: 保障供货" in page
    db.session.expire_all()
    department = db.session.get(Department, department.id)
    assert [f.text for f in department.functions] == ["负责网店日常维护"] and department.nature == ""


def test_reordering_functions_is_a_change(ctx):
    department = factories.create_department("EC", "电商部")
    data = services.DepartmentData(code="EC", name="电商部", functions=["甲", "乙"])
    services.update_department(department, data, department.version)
    db.session.commit()
    version = department.version
    services.update_department(
        department, services.DepartmentData(code="EC", name="电商部", functions=["乙", "甲"]), version
    )
    db.session.commit()
    assert department.version == version + 1
    event = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity == "departments", AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes == {"functions": [["甲", "乙"], ["乙", "甲"]]}


def test_dotted_lines_are_in_the_audit_trail(ctx):
    ec, manager, quality, agent = factories.shop_with_a_dotted_line_candidate()
    services.update_position(
        agent,
        services.PositionData(
            code="EC-CS",
            title="在线客服",
            department_id=ec.id,
            headcount=2,
            reports_to_id=manager.id,
            dotted_superior_ids=[quality.id, manager.id],
        ),
        agent.version,
    )
    db.session.commit()
    event = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity == "positions", AuditEvent.entity_id == str(agent.id))
        .order_by(AuditEvent.id.desc())
    ).first()
    # the direct superior is never also a dotted line
    assert event.action == "update" and event.changes == {"dotted_superior_ids": [[], ["QA-MGR"]]}


def test_the_list_of_changes_shows_labels_and_names_in_the_users_language(login):
    first, second = login("hr"), login("hr")
    ec, manager, quality, agent = factories.shop_with_a_dotted_line_candidate()
    form = _position_form(agent, reports_to_id="EC-MGR")
    assert first.post(f"/org/positions/{agent.id}/edit", data={**form, "reports_to_id": "QA-MGR"}).status_code == 302
    page = second.post(
        f"/org/positions/{agent.id}/edit", data={**form, "grade": "S1"}, headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    table = page[page.index('data-testid="conflict"') : page.index("</table>")]
    assert "直接上级" in table and "EC-MGR · 电商部经理" in table and "QA-MGR · 品质经理" in table
    assert "reports_to_id" not in table and f">{manager.id}<" not in table


def test_an_employees_status_change_is_shown_by_its_label(login):
    first, second = login("hr"), login("hr")
    employee = factories.create_employee("E1", "王强")
    form = {
        "employee_no": "E1",
        "name": "王强",
        "email": "",
        "hire_date": "",
        "status": "regular",
        "user_id": "",
        "version": employee.version,
    }
    assert first.post(f"/org/employees/{employee.id}/edit", data={**form, "status": "probation"}).status_code == 302
    page = second.post(
        f"/org/employees/{employee.id}/edit", data={**form, "name": "王二"}, headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    table = page[page.index('data-testid="conflict"') : page.index("</table>")]
    assert "probation" not in table and "regular" not in table and "试用" in table
