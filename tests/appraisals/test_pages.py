"""The appraisal pages: the steps through HTTP with bad input kept and refused next to the
field, object checks per role, conflicts, cycle and template forms, exports, and a fixed
number of queries on every list and results page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.appraisals import services
from app.appraisals.access import can_view_review, review_scope
from app.appraisals.models import AppraisalCycle, AppraisalTemplate
from app.appraisals.services import flow, launch
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import fill_manager, fill_self, make_cycle, review_of


def _client(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    return client


def _form(review, actuals=None, ratings=None, action="save", **extra):
    data = {"version": review.version, "action": action}
    for i, value in enumerate(actuals or []):
        data[f"kpis-{i}-actual"] = value
        data[f"kpis-{i}-comment"] = f"备注{i}"
    for i, value in enumerate(ratings or []):
        data[f"ratings-{i}-rating"] = value
    data.update(extra)
    return data


def test_the_employee_fills_in_the_self_review_and_bad_input_is_kept(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    client = _client(app, shop.employee_user)
    page = client.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
    assert 'data-testid="step-form"' in page and "销售额" in page
    response = client.post(
        f"/appraisals/reviews/{review.id}/self-review",
        data=_form(review, ["十一万", "-3"], ["3", "9"], comment="我的总结"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="十一万"' in page and "我的总结" in page  # the input is kept
    assert "Enter a number." in page and "cannot be negative" in page and "Choose a rating from 1 to 5." in page
    db.session.expire_all()
    review = review_of(cycle, shop.zhang)
    assert review.kpi_results[0].actual is None and review.self_comment == ""  # nothing changed
    response = client.post(
        f"/appraisals/reviews/{review.id}/self-review",
        data=_form(review, ["110000", "1.5"], ["3", "2"], action="submit", comment="我的总结"),
    )
    assert response.status_code == 302
    review = review_of(cycle, shop.zhang)
    assert review.status == "manager_review" and review.self_comment == "我的总结"
    # submitting twice is refused
    response = client.post(f"/appraisals/reviews/{review.id}/self-review", data=_form(review, action="submit"))
    assert response.status_code == 422 and "already submitted" in response.get_data(as_text=True)


def test_the_manager_completes_it_and_hr_calibrates_and_finalises(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    manager = _client(app, shop.manager_user)
    index = manager.get("/appraisals/").get_data(as_text=True)
    assert "张伟" in index and 'data-testid="to-review"' in index
    response = manager.post(
        f"/appraisals/reviews/{review.id}/manager-review",
        data=_form(review, ["105000", "1.5"], ["4", "3"], action="submit", comment="不错", outcome=""),
    )
    assert response.status_code == 422 and "Propose an outcome before submitting." in response.get_data(as_text=True)
    response = manager.post(
        f"/appraisals/reviews/{review.id}/manager-review",
        data=_form(review, ["105000", "1.5"], ["4", "3"], action="submit", comment="不错", outcome="reward"),
    )
    assert response.status_code == 302
    hr = _client(app, shop.hr_user)
    review = review_of(cycle, shop.zhang)
    response = hr.post(
        f"/appraisals/reviews/{review.id}/calibrate",
        data={"version": review.version, "calibrated_band": "C", "reason": "", "action": "finalise"},
    )
    assert response.status_code == 422 and "Give the reason for moving the band." in response.get_data(as_text=True)
    response = hr.post(
        f"/appraisals/reviews/{review.id}/calibrate",
        data={"version": review.version, "calibrated_band": "B", "reason": "校准", "action": "finalise"},
    )
    assert response.status_code == 302
    review = review_of(cycle, shop.zhang)
    assert review.status == "finalised" and review.calibrated_band == "B"
    page = hr.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
    assert "computed: A" in page and 'data-testid="reopen"' in page
    employee = _client(app, shop.employee_user)
    assert (
        employee.post(f"/appraisals/reviews/{review.id}/acknowledge", data={"version": review.version}).status_code
        == 302
    )
    assert review_of(cycle, shop.zhang).acknowledged_at is not None


def test_object_checks(app, cycle, shop):
    zhang, li, chen = review_of(cycle, shop.zhang), review_of(cycle, shop.li), review_of(cycle, shop.chen)
    wang = review_of(cycle, shop.wang)
    employee = _client(app, shop.employee_user)
    assert employee.get(f"/appraisals/reviews/{zhang.id}").status_code == 200
    assert employee.get(f"/appraisals/reviews/{li.id}").status_code == 404
    assert employee.get(f"/appraisals/cycles/{cycle.id}").status_code == 403
    manager = _client(app, shop.manager_user)
    assert manager.get(f"/appraisals/reviews/{li.id}").status_code == 200  # subtree
    assert manager.get(f"/appraisals/reviews/{chen.id}").status_code == 404  # another department
    response = manager.post(f"/appraisals/reviews/{zhang.id}/self-review", data=_form(zhang, comment="代写"))
    assert response.status_code == 302 and review_of(cycle, shop.zhang).self_comment == ""
    assert "This is not yours to do" in manager.get(response.headers["Location"]).get_data(as_text=True)
    # his own review: the self-review is his, the manager review never is
    fill_self(wang, actuals=(), ratings=())
    flow.reassign_reviewer(wang, shop.chen.id, wang.version)
    db.session.commit()
    manager.post(f"/appraisals/reviews/{wang.id}/manager-review", data=_form(wang, comment="自己评自己"))
    assert review_of(cycle, shop.wang).manager_comment == ""
    page = manager.get(f"/appraisals/cycles/{cycle.id}").get_data(as_text=True)
    assert "<code>E002</code>" in page and "<code>E006</code>" not in page  # 陈静 of HR is not his
    hr = _client(app, shop.hr_user)
    own = review_of(cycle, shop.chen)
    hr.post(
        f"/appraisals/reviews/{own.id}/calibrate",
        data={"version": own.version, "calibrated_band": "A", "reason": "我自己", "action": "save"},
    )
    assert review_of(cycle, shop.chen).calibrated_band is None


@pytest.mark.parametrize("role", ["hr_user", "manager_user", "employee_user"])
def test_review_scope_agrees_with_can_view_review(cycle, shop, role):
    user = getattr(shop, role)
    reviews = db.session.scalars(services.list_reviews(cycle.id)).all()
    scope = review_scope(user)
    listed = {r.id for r in db.session.scalars(services.list_reviews(cycle.id, scope))}
    assert listed == {r.id for r in reviews if can_view_review(user, r)}
    assert listed  # every role sees something here


def test_a_stale_form_gets_a_conflict_and_keeps_the_input(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    stale = _form(review, ["100000", "2"], comment="我的版本")
    flow.save_self_review(review, flow.StepData(comment="HR imported first"), review.version)
    db.session.commit()
    response = _client(app, shop.employee_user).post(f"/appraisals/reviews/{review.id}/self-review", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'data-testid="conflict"' in page and "我的版本" in page and 'value="100000"' in page
    assert review_of(cycle, shop.zhang).self_comment == "HR imported first"


def test_cycle_form_refuses_an_end_before_the_start(app, shop):
    hr = _client(app, shop.hr_user)
    response = hr.post(
        "/appraisals/cycles/new",
        data={"name": "坏周期", "period_type": "custom", "start_date": "2026-11-30", "end_date": "2026-11-01"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The end date cannot be before the start date." in page and 'value="坏周期"' in page
    response = hr.post(
        "/appraisals/cycles/new",
        data={
            "name": "2026年12月",
            "period_type": "monthly",
            "start_date": "2026-12-01",
            "department_ids": [shop.ec.id],
        },
    )
    assert response.status_code == 302
    cycle = db.session.scalar(db.select(AppraisalCycle).where(AppraisalCycle.name == "2026年12月"))
    assert str(cycle.end_date) == "2026-12-31" and [d.code for d in cycle.departments] == ["EC"]
    response = hr.post(f"/appraisals/cycles/{cycle.id}/launch", data={"version": cycle.version})
    # 王强, 张伟, 李娜, 孙丽, and 赵敏 (who joined in mid-November: December is hers)
    assert response.status_code == 302 and len(db.session.scalars(services.list_reviews(cycle.id)).all()) == 5


def test_template_form_validates_weights_bands_and_outcomes(app, shop):
    hr = _client(app, shop.hr_user)
    page = hr.get("/appraisals/templates/new").get_data(as_text=True)
    assert 'value="70"' in page
    data = {
        "name": "销售岗",
        "kpi_weight": "80",
        "competency_weight": "30",
        "levels": "5",
        "bands-0-band": "A",
        "bands-0-min": "80",
        "bands-1-band": "B",
        "bands-1-min": "85",
        "bands-2-band": "C",
        "outcomes-0-code": "reward",
    }
    response = hr.post("/appraisals/templates/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "must add up to 100" in page and "must be below the one above it" in page
    data.update(competency_weight="20", **{"bands-1-min": "60"})
    assert hr.post("/appraisals/templates/new", data=data).status_code == 302
    template = db.session.scalar(db.select(AppraisalTemplate).where(AppraisalTemplate.name == "销售岗"))
    assert template.bands == [{"band": "A", "min": 80}, {"band": "B", "min": 60}, {"band": "C", "min": 0}]
    assert template.scale_max == 5 and template.outcomes == [{"code": "reward", "label": ""}]


def test_exports_hold_every_review_of_the_scope(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    li = review_of(cycle, shop.li)
    fill_self(li, actuals=("90000", "2.5"))
    fill_manager(li)
    flow.finalise(li, li.version)
    db.session.commit()
    hr = _client(app, shop.hr_user)
    response = hr.get(f"/appraisals/cycles/{cycle.id}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Employee number", "Name", "Department") and len(rows) == 6
    assert rows[0][9] == "Final score" and rows[0][13] == "Provisional score (not finalised)"
    # 张伟 is at calibration: his score is provisional, in its own column, never under "Final score"
    zhang = next(r for r in rows if r[0] == "E002")
    assert zhang[9] is None and zhang[10] is None and zhang[13] == pytest.approx(review.final_score, abs=0.05)
    assert zhang[14] == review.band and zhang[15] == "Reward"
    finalised = next(r for r in rows if r[0] == "E003")
    assert finalised[9] == pytest.approx(li.final_score, abs=0.05) and finalised[10] == li.band
    assert finalised[13] is None and finalised[14] is None
    text = hr.get(f"/appraisals/cycles/{cycle.id}/export.csv?department={shop.hr_dep.id}").data.decode("utf-8-sig")
    assert [row[1] for row in csv.reader(io.StringIO(text))][1:] == ["陈静"]
    manager_rows = _client(app, shop.manager_user).get(f"/appraisals/cycles/{cycle.id}/export.csv").data
    assert "陈静".encode() not in manager_rows and "张伟".encode() in manager_rows


def test_results_show_charts_and_the_history_its_trend(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    hr = _client(app, shop.hr_user)
    page = hr.get(f"/appraisals/cycles/{cycle.id}").get_data(as_text=True)
    assert page.count("<svg") == 3 and 'data-chart="bands"' in page and 'data-testid="band-table"' in page
    assert re.search(r'data-testid="stat-total">5<', page)
    history = hr.get(f"/appraisals/employees/{shop.zhang.id}/history").get_data(as_text=True)
    assert 'data-chart="trend"' in history and cycle.name in history
    assert _client(app, shop.manager_user).get(f"/appraisals/employees/{shop.chen.id}/history").status_code == 404


def test_list_and_results_pages_run_a_fixed_number_of_queries(app, shop, count_queries):
    hr = _client(app, shop.hr_user)
    manager = _client(app, shop.manager_user)

    def counts(cycle):
        result = {}
        for name, client, url in (
            ("results", hr, f"/appraisals/cycles/{cycle.id}"),
            ("results (manager)", manager, f"/appraisals/cycles/{cycle.id}"),
            ("cycles", hr, "/appraisals/cycles"),
            ("overdue", hr, "/appraisals/overdue"),
            ("mine", manager, "/appraisals/"),
            ("history", hr, f"/appraisals/employees/{shop.zhang.id}/history"),
            ("review", hr, f"/appraisals/reviews/{review_of(cycle, shop.zhang).id}"),
        ):
            with count_queries() as queries:
                assert client.get(url).status_code == 200, url
            result[name] = len(queries)
        return result

    first = make_cycle(name="first")
    launch.launch_cycle(first)
    db.session.commit()
    fill_self(review_of(first, shop.zhang))
    small = counts(first)
    for i in range(15):
        factories.create_employee(f"N{i:03d}", f"新员工{i}", position=shop.ops)
    second = make_cycle(name="second", self_review_due=None)
    launch.launch_cycle(second, confirm_overlap=True)
    db.session.commit()
    for review in (review_of(second, shop.zhang), review_of(second, shop.li)):
        fill_self(review)
    assert counts(second) == small


def test_the_cycle_list_holds_only_cycles_with_reviews_a_manager_may_see(app, shop, cycle):
    launch.launch_cycle(make_cycle(name="SECRET-Board-bonus-review", departments=[shop.hr_dep]), confirm_overlap=True)
    db.session.commit()
    manager = app.test_client()
    manager.post("/login", data={"email": shop.manager_user.email, "password": factories.PASSWORD})
    page = manager.get("/appraisals/cycles").get_data(as_text=True)
    assert cycle.name in page and "SECRET-Board-bonus-review" not in page


def test_employees_see_their_own_history_only(app, shop, cycle):
    employee = app.test_client()
    employee.post("/login", data={"email": shop.employee_user.email, "password": factories.PASSWORD})
    assert employee.get(f"/appraisals/employees/{shop.zhang.id}/history").status_code == 200
    assert employee.get(f"/appraisals/employees/{shop.li.id}/history").status_code == 404


def test_an_employee_account_named_as_reviewer_can_neither_open_nor_do_the_manager_review(app, cycle, shop):
    from app.appraisals.access import can_manager_review
    from app.appraisals.services import reviewers

    account = factories.create_user("employee")  # 孙丽 gets an account with the employee role
    shop.sun.user_id = account.id
    review = review_of(cycle, shop.zhang)
    review.reviewer_id = shop.sun.id
    db.session.commit()
    fill_self(review)
    review = review_of(cycle, shop.zhang)
    assert review.status == "manager_review" and not can_manager_review(account, review)
    client = _client(app, account)
    assert client.get(f"/appraisals/reviews/{review.id}").status_code == 404
    version = review.version
    response = client.post(
        f"/appraisals/reviews/{review.id}/manager-review",
        data=_form(review, ratings=["4", "3"], outcome="reward", action="submit"),
    )
    assert response.status_code == 404
    assert review_of(cycle, shop.zhang).version == version and review_of(cycle, shop.zhang).status == "manager_review"
    assert "张伟" not in client.get("/appraisals/").get_data(as_text=True)
    # HR sees the stalled review, with the reason, on the cycle page and in the filtered list
    stalled = reviewers.stalled_reviews(cycle.id)
    reasons = {r["id"]: r["reason"] for r in stalled.first}
    assert reasons[review.id] == str(reviewers.REASONS["cannot_review"])
    hr = _client(app, shop.hr_user)
    page = hr.get(f"/appraisals/cycles/{cycle.id}").get_data(as_text=True)
    assert 'data-testid="stalled-reviews"' in page and "孙丽" in page
    listed = hr.get(f"/appraisals/cycles/{cycle.id}?stalled=1").get_data(as_text=True)
    table = listed[listed.index('name="stalled"') :]
    assert "<code>E002</code>" in table and "<code>E003</code>" not in table  # 李娜's reviewer (王强) may review
    # once HR gives the account the manager role, the review is theirs to open and submit
    account.role = "manager"
    db.session.commit()
    assert client.get(f"/appraisals/reviews/{review.id}").status_code == 200
    response = client.post(
        f"/appraisals/reviews/{review.id}/manager-review",
        data=_form(review, ratings=["4", "3"], outcome="reward", action="submit"),
    )
    assert response.status_code == 302 and review_of(cycle, shop.zhang).status == "calibration"
    assert review.id not in [r["id"] for r in reviewers.stalled_reviews(cycle.id).first]


def test_the_results_table_sorts_by_the_band_shown_and_counts_finalised_reviews_only(app, cycle, shop):
    for employee, actuals in ((shop.zhang, ("120000", "1")), (shop.li, ("100000", "2"))):
        review = review_of(cycle, employee)
        fill_self(review, actuals=actuals)
        fill_manager(review_of(cycle, employee))
    zhang, li = review_of(cycle, shop.zhang), review_of(cycle, shop.li)
    assert zhang.band == "A" and li.band in ("A", "B")
    flow.calibrate(zhang, "D", "校准。", zhang.version, finalise=True)  # shown as D
    db.session.commit()
    hr = _client(app, shop.hr_user)
    page = hr.get(f"/appraisals/cycles/{cycle.id}?sort=band").get_data(as_text=True)
    rows = re.findall(r"<code>(E00\d)</code>", page)
    # 李娜's computed band (provisional, not finalised) comes before 张伟's calibrated D
    assert rows.index("E003") < rows.index("E002")
    descending = re.findall(
        r"<code>(E00\d)</code>", hr.get(f"/appraisals/cycles/{cycle.id}?sort=-band").get_data(as_text=True)
    )
    assert descending.index("E002") < descending.index("E003")
    # the band table counts the one finalised review; 李娜's score is provisional
    band_table = page[page.index('data-testid="band-table"') :]
    band_table = band_table[: band_table.index("</table>")]
    assert re.findall(r"<th scope=\"row\">(\w)</th><td class=\"text-end\">(\d+)</td>", band_table) == [
        ("A", "0"),
        ("B", "0"),
        ("C", "0"),
        ("D", "1"),
    ]
    assert 'data-testid="provisional"' in page and "1 of 5 reviews finalised." in page


def test_a_stale_cycle_form_gets_a_conflict_and_keeps_the_input(app, cycle, shop):
    hr = _client(app, shop.hr_user)
    seen = cycle.version
    services.update_cycle(
        cycle,
        services.CycleData(
            name="HR renamed it first",
            period_type=cycle.period_type,
            start_date=cycle.start_date,
            end_date=cycle.end_date,
            template_id=cycle.template_id,
            department_ids=[d.id for d in cycle.departments],
            include_subdepartments=cycle.include_subdepartments,
            self_review_due=cycle.self_review_due,
            manager_review_due=cycle.manager_review_due,
        ),
        seen,
    )
    db.session.commit()
    response = hr.post(
        f"/appraisals/cycles/{cycle.id}/edit",
        data={
            "version": seen,
            "name": "我的名字",
            "period_type": cycle.period_type,
            "start_date": cycle.start_date.isoformat(),
            "end_date": cycle.end_date.isoformat(),
        },
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'data-testid="conflict"' in page and 'value="我的名字"' in page
    assert f'name="version" type="hidden" value="{seen + 1}"' in page  # saving again applies the input
    db.session.expire_all()
    assert db.session.get(AppraisalCycle, cycle.id).name == "HR renamed it first"
