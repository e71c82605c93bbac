from datetime import date

from app.extensions import db
from app.org import services
from app.org.models import Assignment, Employee
from tests import factories


def _org():
    top = factories.create_department("GM", "总经理办公室")
    ec = factories.create_department("EC", "电商部", parent=top)
    gm = factories.create_position("GM", top, "总经理")
    manager = factories.create_position("EC-MGR", ec, "电商部经理", reports_to=gm)
    lead = factories.create_position("EC-LEAD", ec, "客服主管", reports_to=manager)  # stays vacant
    agent = factories.create_position("EC-CS", ec, "在线客服", reports_to=lead, headcount=2)
    return top, ec, gm, manager, lead, agent


def test_manager_is_derived_walking_up_past_vacant_posts(ctx):
    _top, _ec, _gm, manager, lead, agent = _org()
    boss = factories.create_employee("E1", "王强", position=manager)
    worker = factories.create_employee("E2", "陈静", position=agent)
    position, managers = services.manager_of(worker)
    assert position.id == manager.id and [m.id for m in managers] == [boss.id]
    assert services.managers_of_position(lead.id)[0].id == manager.id


def test_overlapping_primary_assignment_and_bad_dates_are_refused(login):
    hr = login("hr")
    _top, _ec, _gm, manager, _lead, agent = _org()
    employee = factories.create_employee("E1", "王强", position=agent, start=date(2021, 1, 1))
    page = hr.post(
        f"/org/employees/{employee.id}/assignments",
        data={"position_id": "EC-MGR", "start_date": "2023-05-01", "end_date": "", "is_primary": "y"},
    ).get_data(as_text=True)
    assert "This overlaps the primary assignment to 在线客服 from 2021-01-01" in page
    page = hr.post(
        f"/org/employees/{employee.id}/assignments",
        data={"position_id": "EC-MGR", "start_date": "2023-05-01", "end_date": "2023-01-01", "is_primary": ""},
    ).get_data(as_text=True)
    assert "The end date cannot be before the start date." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 1
    # a secondary (concurrent) assignment may overlap
    assert (
        hr.post(
            f"/org/employees/{employee.id}/assignments",
            data={"position_id": "EC-MGR", "start_date": "2023-05-01", "end_date": ""},
        ).status_code
        == 302
    )


def test_promotion_keeps_the_history(login):
    hr = login("hr")
    _top, _ec, _gm, manager, _lead, agent = _org()
    employee = factories.create_employee("E1", "王强", position=agent, start=date(2019, 3, 1))
    first = employee.assignments[0]
    assert (
        hr.post(f"/org/employees/{employee.id}/assignments/{first.id}/end", data={"end_date": "2022-12-31"}).status_code
        == 302
    )
    assert (
        hr.post(
            f"/org/employees/{employee.id}/assignments",
            data={"position_id": "EC-MGR", "start_date": "2023-01-01", "is_primary": "y"},
        ).status_code
        == 302
    )
    page = hr.get(f"/org/employees/{employee.id}").get_data(as_text=True)
    assert page.index("电商部经理") < page.index("在线客服")  # newest first
    assert services.primary_position(db.session.get(Employee, employee.id)).id == manager.id


def test_duplicate_employee_number_is_refused(login):
    hr = login("hr")
    factories.create_employee("E0001", "王强")
    page = hr.post(
        "/org/employees/new",
        data={"employee_no": "E0001", "name": "Keep", "email": "", "hire_date": "", "status": "regular", "user_id": ""},
    ).get_data(as_text=True)
    assert "Another employee already has this number." in page and 'value="Keep"' in page
    page = hr.post(
        "/org/employees/new",
        data={
            "employee_no": "E2",
            "name": "X",
            "email": "not-an-email",
            "hire_date": "2020-13-45",
            "status": "bogus",
            "user_id": "",
        },
    ).get_data(as_text=True)
    assert "Enter a valid e-mail address." in page and "Not a valid date value." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Employee)) == 1


def test_manager_sees_only_their_reporting_subtree(login):
    _top, _ec, gm, manager, _lead, agent = _org()
    boss_client = login("manager")
    factories.create_employee("E1", "王强", position=manager, user=boss_client.user)
    worker = factories.create_employee("E2", "陈静", position=agent)
    ceo = factories.create_employee("E0", "张总", position=gm)
    page = boss_client.get("/org/employees").get_data(as_text=True)
    assert "陈静" in page and "张总" not in page
    assert boss_client.get(f"/org/employees/{worker.id}").status_code == 200
    assert boss_client.get(f"/org/employees/{ceo.id}").status_code == 404


def test_employee_sees_only_themselves(login):
    _top, _ec, _gm, manager, _lead, agent = _org()
    client = login("employee")
    me = factories.create_employee("E2", "陈静", position=agent, user=client.user)
    other = factories.create_employee("E1", "王强", position=manager)
    assert client.get(f"/org/employees/{me.id}").status_code == 200
    assert client.get(f"/org/employees/{other.id}").status_code == 404
    assert client.get("/org/employees").status_code == 403


def test_employee_list_has_a_fixed_number_of_queries(login, count_queries):
    hr = login("hr")
    _top, _ec, _gm, _manager, _lead, agent = _org()
    factories.create_employee("E0", position=agent)
    with count_queries() as few:
        assert hr.get("/org/employees").status_code == 200
    for number in range(1, 20):
        factories.create_employee(f"E{number}", position=agent)
    with count_queries() as many:
        assert hr.get("/org/employees").status_code == 200
    assert len(few) == len(many)


def test_employee_page_has_a_fixed_number_of_queries(login, count_queries):
    _top, _ec, gm, manager, _lead, agent = _org()
    viewer = login("manager")
    factories.create_employee("E0", "张总", position=gm, user=viewer.user)
    worker = factories.create_employee("E1", "陈静", position=agent)
    factories.create_employee("M1", "王强", position=manager)
    with count_queries() as few:
        page = viewer.get(f"/org/employees/{worker.id}").get_data(as_text=True)
    assert "王强</a>" in page  # the manager's holders link to their pages
    for number in range(2, 8):
        factories.create_employee(f"M{number}", f"经理{number}", position=manager)
    with count_queries() as many:
        page = viewer.get(f"/org/employees/{worker.id}").get_data(as_text=True)
    assert "经理7</a>" in page
    assert len(few) == len(many), "\n---\n".join(many)
