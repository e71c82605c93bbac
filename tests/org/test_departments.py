from app.audit.models import AuditEvent
from app.extensions import db
from app.org import services
from app.org.models import Department
from tests import factories


def _form(**overrides):
    data = {
        "code": "EC",
        "name": "电商部",
        "parent_id": "",
        "head_position_id": "",
        "nature": "网络销售，推广",
        "service_object": "顾客",
        "authority": "",
        "management_functions": "",
        "functions": "负责网店日常维护\n\n负责网络站内站外推广工作",
        "collaborations": "市场部: 制定并执行整合营销方案\n供应商：保障供货",
        "evaluation_criteria": "销售额",
        "version": "",
    }
    data.update(overrides)
    return data


def test_hr_creates_a_department_with_functions_and_collaborations(login):
    hr = login("hr")
    market = factories.create_department("MKT", "市场部")
    response = hr.post("/org/departments/new", data=_form())
    assert response.status_code == 302
    department = db.session.scalar(db.select(Department).where(Department.code == "EC"))
    assert [f.text for f in department.functions] == ["负责网店日常维护", "负责网络站内站外推广工作"]
    assert [(c.partner_id, c.partner_label, c.duty) for c in department.collaborations] == [
        (market.id, "市场部", "制定并执行整合营销方案"),
        (None, "供应商", "保障供货"),
    ]
    page = hr.get(f"/org/departments/{department.id}").get_data(as_text=True)
    assert "网络销售，推广" in page and "制定并执行整合营销方案" in page


def test_duplicate_code_is_refused_next_to_the_field_with_input_kept(login):
    hr = login("hr")
    factories.create_department("EC", "电商部")
    response = hr.post("/org/departments/new", data=_form(name="Another name"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another department already has this code." in page
    assert 'value="Another name"' in page and "负责网店日常维护" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Department)) == 1


def test_a_department_cannot_move_under_its_own_descendant(login):
    hr = login("hr")
    top = factories.create_department("TOP", "公司")
    child = factories.create_department("EC", "电商部", parent=top)
    grandchild = factories.create_department("EC-CS", "客服组", parent=child)
    response = hr.post(
        f"/org/departments/{top.id}/edit",
        data=_form(code="TOP", name="公司", parent_id=grandchild.id, version=top.version),
    )
    assert "cannot be placed under itself or one of its sub-departments" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Department, top.id).parent_id is None


def test_moving_a_department_moves_its_subtree(ctx):
    a = factories.create_department("A")
    b = factories.create_department("B")
    child = factories.create_department("A1", parent=a)
    leaf = factories.create_department("A11", parent=child)
    services.update_department(child, services.DepartmentData(code="A1", name="A1", parent_id=b.id), child.version)
    db.session.commit()
    db.session.expire_all()
    leaf = db.session.get(Department, leaf.id)
    assert leaf.path == f"/{b.id}/{child.id}/{leaf.id}/" and leaf.depth == 2
    codes = set(
        db.session.scalars(
            db.select(Department.code).where(services.subtree_condition(db.session.get(Department, b.id)))
        )
    )
    assert codes == {"B", "A1", "A11"}


def test_department_with_positions_cannot_be_deleted_but_can_be_archived_when_empty(login):
    hr = login("hr")
    department = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-MGR", department, "电商部经理")
    response = hr.post(f"/org/departments/{department.id}/delete", follow_redirects=True)
    assert "still has 1 position(s)" in response.get_data(as_text=True)
    assert db.session.get(Department, department.id) is not None
    response = hr.post(f"/org/departments/{department.id}/archive", follow_redirects=True)
    assert "Archive its sub-departments and positions first" in response.get_data(as_text=True)
    hr.post(f"/org/positions/{position.id}/archive")
    hr.post(f"/org/departments/{department.id}/archive")
    assert db.session.get(Department, department.id).is_archived
    assert "电商部" not in hr.get("/org/departments").get_data(as_text=True)
    assert "电商部" in hr.get("/org/departments?archived=1").get_data(as_text=True)


def test_empty_department_is_deleted_with_an_audit_record(login):
    hr = login("hr")
    department_id = factories.create_department("TMP", "临时部门").id
    assert hr.post(f"/org/departments/{department_id}/delete").status_code == 302
    assert db.session.get(Department, department_id) is None
    assert (
        db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.entity == "departments", AuditEvent.action == "delete")
        ).label
        == "TMP"
    )


def test_two_people_editing_the_same_department(login):
    first, second = login("hr"), login("admin")
    department = factories.create_department("EC", "电商部")
    seen = department.version
    assert (
        first.post(f"/org/departments/{department.id}/edit", data=_form(name="电子商务部", version=seen)).status_code
        == 302
    )
    response = second.post(f"/org/departments/{department.id}/edit", data=_form(name="网店部", version=seen))
    page = response.get_data(as_text=True)
    assert "changed by someone else" in page and "电子商务部" in page and 'value="网店部"' in page
    db.session.expire_all()
    assert db.session.get(Department, department.id).name == "电子商务部"


def test_department_pages_have_a_fixed_number_of_queries(login, count_queries):
    employee = login("employee")
    top = factories.create_department("TOP", "公司")
    factories.create_department("D0", parent=top)
    with count_queries() as few:
        assert employee.get("/org/departments").status_code == 200
    with count_queries() as detail_few:
        assert employee.get(f"/org/departments/{top.id}").status_code == 200
    for number in range(1, 15):
        department = factories.create_department(f"D{number}", parent=top)
        factories.create_position(f"P{number}", department)
        factories.create_position(f"Q{number}", top)
    with count_queries() as many:
        assert employee.get("/org/departments").status_code == 200
    with count_queries() as detail_many:
        assert employee.get(f"/org/departments/{top.id}").status_code == 200
    assert len(few) == len(many)
    assert len(detail_few) == len(detail_many)


def test_only_hr_and_admin_edit_the_organisation(login):
    department = factories.create_department("EC", "电商部")
    for role in ("manager", "employee"):
        client = login(role)
        assert client.get(f"/org/departments/{department.id}").status_code == 200
        assert client.post("/org/departments/new", data=_form(code="X")).status_code == 403
        assert client.post(f"/org/departments/{department.id}/delete").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Department)) == 1


def test_a_new_sub_department_goes_under_its_parent(login):
    hr = login("hr")
    parent_id = factories.create_department("MKT", "市场部").id
    db.session.expunge_all()  # the request finds the parent in the database, not in a session
    assert hr.post("/org/departments/new", data=_form(parent_id=str(parent_id), collaborations="")).status_code == 302
    department = db.session.scalar(db.select(Department).where(Department.code == "EC"))
    assert department.parent_id == parent_id and department.path == f"/{parent_id}/{department.id}/"


def test_user_text_is_escaped(login):
    hr = login("hr")
    hr.post("/org/departments/new", data=_form(code="XSS", name="<script>alert(1)</script>"))
    page = hr.get("/org/departments").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
