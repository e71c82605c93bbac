"""`flask demo load`: the demo organisation built from the seeds, loaded idempotently."""

from sqlalchemy import func, select

from app.auth import services as auth_services
from app.demo import org_data
from app.demo.services import DEMO_PASSWORD
from app.extensions import db
from app.org import services as org
from app.org.models import Department, Employee, EmployeeStatus, Position


def _load(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables
    }


def _position(code: str) -> Position:
    return db.session.scalar(select(Position).where(Position.code == code))


def _titles_and_headcount(department: Department) -> dict[str, int]:
    return {p.title: p.headcount for p in department.positions}


def test_a_second_demo_load_creates_nothing(app, ctx):
    output = _load(app)
    assert "new record" in output
    first = _row_counts()
    assert first["departments"] == len(org_data.DEPARTMENTS)
    assert first["positions"] == len(org_data.POSITIONS)
    assert first["employees"] == len(org_data.EMPLOYEES)
    assert first["users"] == 4

    output = _load(app)
    assert "already loaded" in output
    assert _row_counts() == first  # every table, the audit trail included


def test_the_2014_charter_department(app, ctx):
    _load(app)
    ec = db.session.scalar(select(Department).where(Department.name == "电商部"))
    assert (ec.code, ec.service_object, ec.nature) == ("EC", "顾客", "网络销售，推广")
    assert ec.authority.startswith("受总经理委托") and "专职管理部门" in ec.management_functions
    assert [f.text for f in ec.functions][0] == "负责网店日常维护，优化店铺与商品排名"
    assert len(ec.functions) == 9  # the charter's six first, then three of seed 004, titled
    assert [f.title for f in ec.functions][5:] == ["", "客户服务", "数据分析与报告", "新业务拓展"]
    # Duty coverage: the positions' duties are linked, one gap and one overlap left for HR to see.
    from app.jobs.coverage import department_matrix

    matrix = department_matrix(ec)
    assert [f.title for f in matrix.gaps] == ["新业务拓展"]
    assert [(f.text, len(columns)) for f, columns in matrix.overlaps] == [
        ("负责网络站内站外推广工作；策划店铺促销活动方案", 4)
    ]
    assert "店铺评分、客户满意度" in ec.evaluation_criteria
    # 部门协作 (seed 004): partners that are departments are linked, the others stay names.
    partners = {c.partner_name: c.partner for c in ec.collaborations}
    assert partners["市场部"].code == "MKT" and partners["客服部"].code == "CS"
    assert partners["产品部门"] is None and partners["供应链部门"] is None

    # 编制: 电商部经理1人，推广人员1人，美工1人，在线客服2人.
    headcount = _titles_and_headcount(ec)
    assert {title: headcount[title] for title in ("电商部经理", "推广", "美工", "在线客服")} == {
        "电商部经理": 1,
        "推广": 1,
        "美工": 1,
        "在线客服": 2,
    }
    manager = _position("EC-MGR")
    assert ec.head_position == manager
    assert manager.reports_to.title == "总经理"
    assert ec.parent.head_position == manager.reports_to
    # 临时代理 (seed 001): the manager covers 推广 and 美工, 电商运营专员 covers 在线客服 (its peer),
    # each named on the covered post ("Covered when vacant by").
    assert not manager.acting_note and manager.acting_position is None
    assert {code: _position(code).acting_position.code for code in ("EC-PROMO", "EC-ART", "EC-CS")} == {
        "EC-PROMO": "EC-MGR",
        "EC-ART": "EC-MGR",
        "EC-CS": "EC-OPS",
    }
    assert "临时代理下级岗位工作" in _position("EC-PROMO").acting_note
    assert "电商运营专员临时代理" in _position("EC-CS").acting_note
    assert _position("EC-OPS").acting_position is None
    assert {p.title for p in manager.subordinates} >= {"推广", "美工", "在线客服"}
    assert "能适应晚班和轮班" in _position("EC-CS").working_conditions


def test_the_seed_departments_and_seed_004_positions(app, ctx):
    _load(app)
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    assert {"市场部", "财务部", "制作部", "客服部", "人力资源部"} <= departments.keys()
    assert set(_titles_and_headcount(departments["制作部"])) >= {"编辑", "美编", "摄影", "运营"}
    assert "客服" in _titles_and_headcount(departments["客服部"])
    assert departments["制作部"].parent.name == "电商部"

    # Seed 004: 电子商务经理 is the 电商部经理 post; the four specialists are 电商部 posts.
    assert "电子商务经理" in _position("EC-MGR").purpose
    ec_titles = _titles_and_headcount(departments["电商部"])
    assert {"电商运营专员", "电商推广专员", "电商客服专员", "电商数据分析专员"} <= ec_titles.keys()
    assert [p.code for p in _position("EC-DATA").dotted_superiors] == ["MKT-MGR"]


def test_vacancies_over_staffing_and_history(app, ctx):
    _load(app)
    vacant = {p.code for p in db.session.scalars(org.list_positions(vacancy="vacant"))}
    assert {"EC-DATA", "EC-CS"} <= vacant
    over = {p.code for p in db.session.scalars(org.list_positions(vacancy="over"))}
    assert over == {"CS-AGENT"}

    employees = list(db.session.scalars(select(Employee)))
    assert 25 <= len(employees) <= 35
    statuses = [e.status for e in employees]
    assert statuses.count(EmployeeStatus.LEFT.value) == 1 and EmployeeStatus.PROBATION.value in statuses
    leaver = next(e for e in employees if e.status == EmployeeStatus.LEFT.value)
    assert all(a.end_date is not None for a in leaver.assignments)
    assert org.primary_position(leaver) is None
    promoted = [e for e in employees if len(e.assignments) == 2]
    assert [[a.position.code for a in e.assignments] for e in promoted] == [["EC-MGR", "EC-PROMO"]]


def test_demo_accounts_are_linked_to_employees(app, ctx):
    _load(app)
    holder = {
        email: org.primary_position(auth_services.find_user(email).employee).code
        for email in ("manager@rolebook.demo", "employee@rolebook.demo", "hr@rolebook.demo")
    }
    assert holder == {
        "manager@rolebook.demo": "EC-MGR",
        "employee@rolebook.demo": "EC-CS",
        "hr@rolebook.demo": "HR-SPEC",
    }
    manager = auth_services.find_user("manager@rolebook.demo")
    assert manager.employee in org.current_holders([_position("EC-MGR").id])[_position("EC-MGR").id]
    assert auth_services.find_user("admin@rolebook.demo").employee is None

    # The manager's reporting subtree holds people, so the role-scoped employee list shows them.
    client = app.test_client()
    response = client.post("/login", data={"email": "manager@rolebook.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/org/employees").get_data(as_text=True)
    assert "陈静" in page and "周建华" not in page  # a subordinate yes, the 总经理 no


def test_every_seed_position_has_a_published_job_description(app, ctx):
    from app.demo import jd_data
    from app.jobs import lint
    from app.jobs import services as jobs
    from app.jobs.models import Competency, JobTemplate, Kpi, Status

    _load(app)
    for spec in jd_data.JOB_DESCRIPTIONS:
        position = _position(spec["position"])
        version = jobs.current_version(position.id, full=True)
        assert version is not None and version.status == Status.PUBLISHED.value, spec["position"]
        assert version.duties and version.kpi_targets and version.requirements, spec["position"]
        assert version.title == position.title
    # 电商部经理 comes from the 2014 charter, imported from the seed text and tidied
    manager = jobs.current_version(_position("EC-MGR").id, full=True)
    assert manager.effective_date.isoformat() == "2014-02-25"
    assert "负责站内流量分析制定主推款与滞销款处理方案。" in [d.text for d in manager.duties]
    assert manager.authority.startswith("受总经理委托")
    # 在线客服: the seed's age and health conditions were tidied away, its repeated duty dropped
    agent = jobs.current_version(_position("EC-CS").id, full=True)
    assert not [f for f in lint.lint_version(agent) if f.rule.startswith("discrimination")]
    assert len({d.text for d in agent.duties}) == len(agent.duties)
    # a newer draft of 电商运营专员 waits for review, written by the demo manager
    review = jobs.open_version(_position("EC-OPS").id)
    assert review.status == Status.IN_REVIEW.value and review.number == 2
    assert review.submitted_by.email == "manager@rolebook.demo"
    # the libraries: the 13 competencies of seed 004, the seeds' KPIs, the base job descriptions
    assert db.session.scalar(select(func.count()).select_from(Competency)) == 13
    kpi_names = set(db.session.scalars(select(Kpi.name)))
    assert {"销售额", "转化率", "客单价", "库存周转率", "72小时发货率", "投诉24小时处理率"} <= kpi_names
    templates = set(db.session.scalars(select(JobTemplate.name)))
    assert {"Online store operation supervisor", "网络平台运营负责人", "电商部经理"} <= templates
    # the demo employee still has to acknowledge; most colleagues have
    outstanding = [a.employee.name for a in db.session.scalars(jobs.outstanding_acknowledgements())]
    assert "陈静" in outstanding and len(outstanding) < 5
