from app.extensions import db
from app.org.models import Position
from tests import factories


def _form(department, **overrides):
    data = {
        "code": "EC-MGR",
        "title": "电商部经理",
        "department_id": department.id,
        "grade": "M2",
        "headcount": "1",
        "reports_to_id": "",
        "purpose": "",
        "authority": "受总经理委托",
        "management_responsibility": "",
        "working_conditions": "",
        "acting_position_id": "",
        "acting_note": "",
        "version": "",
    }
    data.update(overrides)
    return data


def test_position_reports_to_a_position_of_another_department(login):
    hr = login("hr")
    office = factories.create_department("GM", "总经理办公室")
    ec = factories.create_department("EC", "电商部")
    gm = factories.create_position("GM", office, "总经理")
    response = hr.post("/org/positions/new", data=_form(ec, reports_to_id="GM"))
    assert response.status_code == 302
    manager = db.session.scalar(db.select(Position).where(Position.code == "EC-MGR"))
    assert manager.reports_to_id == gm.id
    page = hr.get(f"/org/positions/{gm.id}").get_data(as_text=True)
    assert "电商部经理" in page  # subordinates are derived


def test_reporting_cycle_is_refused_naming_the_loop(login):
    hr = login("hr")
    ec = factories.create_department("EC", "电商部")
    a = factories.create_position("A", ec, "经理")
    b = factories.create_position("B", ec, "主管", reports_to=a)
    factories.create_position("C", ec, "专员", reports_to=b)
    response = hr.post(
        f"/org/positions/{a.id}/edit", data=_form(ec, code="A", title="经理", reports_to_id="C", version=a.version)
    )
    page = response.get_data(as_text=True)
    assert "This reporting line would create a loop: 经理 → 专员 → 主管 → 经理." in page
    db.session.expire_all()
    assert db.session.get(Position, a.id).reports_to_id is None


def test_bad_position_input_is_refused_with_messages(login):
    hr = login("hr")
    ec = factories.create_department("EC", "电商部")
    factories.create_position("EC-MGR", ec)
    page = hr.post("/org/positions/new", data=_form(ec, headcount="-1", title="Keep me")).get_data(as_text=True)
    assert "The headcount cannot be below zero." in page and 'value="Keep me"' in page
    page = hr.post("/org/positions/new", data=_form(ec, title="Dup")).get_data(as_text=True)
    assert "Another position already has this code." in page
    page = hr.post("/org/positions/new", data=_form(ec, code="X1", headcount="abc")).get_data(as_text=True)
    assert "Not a valid integer value." in page
    page = hr.post("/org/positions/new", data=_form(ec, code="X2", department_id="999999")).get_data(as_text=True)
    assert "Choose a department." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Position)) == 1


def test_two_people_editing_the_same_position(login):
    first, second = login("hr"), login("hr")
    ec = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-MGR", ec, "电商部经理", headcount=1)
    seen = position.version
    assert (
        first.post(f"/org/positions/{position.id}/edit", data=_form(ec, headcount="2", version=seen)).status_code == 302
    )
    response = second.post(f"/org/positions/{position.id}/edit", data=_form(ec, grade="M3", version=seen))
    page = response.get_data(as_text=True)
    assert "changed by someone else" in page and "headcount" in page
    db.session.expire_all()
    assert (db.session.get(Position, position.id).headcount, db.session.get(Position, position.id).grade) == (2, "M2")


def test_positions_list_filters_by_subtree_and_vacancy(login):
    hr = login("hr")
    top = factories.create_department("TOP", "公司")
    ec = factories.create_department("EC", "电商部", parent=top)
    other = factories.create_department("FIN", "财务部")
    filled = factories.create_position("EC-MGR", ec, "电商部经理")
    vacant = factories.create_position("EC-CS", ec, "在线客服", headcount=2)
    factories.create_position("FIN-ACC", other, "会计")
    factories.create_employee("E1", "王强", position=filled)
    factories.create_employee("E2", "陈静", position=vacant)
    factories.create_employee("E3", "李娜", position=filled)  # over-staffed
    page = hr.get(f"/org/positions?department={top.id}").get_data(as_text=True)
    assert "电商部经理" in page and "在线客服" in page and "会计" not in page
    page = hr.get("/org/positions?vacancy=vacant").get_data(as_text=True)
    assert "在线客服" in page and "电商部经理" not in page
    page = hr.get("/org/positions?vacancy=over").get_data(as_text=True)
    assert "电商部经理" in page and "在线客服" not in page and "table-danger" in page
    assert hr.get("/org/positions?department=abc&vacancy=zzz&sort=nope").status_code == 200


def test_position_pages_have_a_fixed_number_of_queries(login, count_queries):
    client = login("manager")
    ec = factories.create_department("EC", "电商部")
    boss = factories.create_position("BOSS", ec, "经理")
    factories.create_position("P0", ec, reports_to=boss)
    factories.create_employee("E0", position=boss)
    with count_queries() as few:
        assert client.get("/org/positions").status_code == 200
    with count_queries() as detail_few:
        assert client.get(f"/org/positions/{boss.id}").status_code == 200
    for number in range(1, 12):
        position = factories.create_position(f"P{number}", ec, reports_to=boss)
        factories.create_employee(f"E{number}", position=position)
        factories.create_employee(f"F{number}", position=boss) if number < 3 else None
    with count_queries() as many:
        assert client.get("/org/positions").status_code == 200
    with count_queries() as detail_many:
        assert client.get(f"/org/positions/{boss.id}").status_code == 200
    assert len(few) == len(many), "\n".join(many)
    assert len(detail_few) == len(detail_many), "\n---\n".join(detail_many) + "\n=====\n" + "\n---\n".join(detail_few)


def test_position_with_holders_cannot_be_archived_or_deleted(login):
    hr = login("hr")
    ec = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-MGR", ec)
    factories.create_employee("E1", position=position)
    page = hr.post(f"/org/positions/{position.id}/archive", follow_redirects=True).get_data(as_text=True)
    assert "still hold this position" in page
    page = hr.post(f"/org/positions/{position.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "archive it instead" in page
    assert not db.session.get(Position, position.id).is_archived
