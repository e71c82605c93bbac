"""Printed appraisals: the filled-in form of a review and the results of a cycle, rendered for
real and read back; who may print them."""

from __future__ import annotations

from app.extensions import db
from tests.appraisals.conftest import cycle, fill_manager, fill_self, review_of  # noqa: F401 (fixture)
from tests.documents.conftest import fonts, in_order, page_count, pages_text, squeeze


def _client(app, user):
    from tests import factories

    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return client


def test_the_filled_in_form_prints_the_reviews_own_snapshot(app, shop, cycle):  # noqa: F811
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review_of(cycle, shop.zhang))
    employee = _client(app, shop.employee_user)
    response = employee.get(f"/appraisals/reviews/{review.id}/form.pdf?lang=zh_CN")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    text = squeeze("".join(pages_text(pdf)))
    assert "张伟" in text and "E002" in text and "王强" in text  # the employee and the reviewer
    assert in_order(text, ["销售额", "投诉率"]) and "110,000" in text and "本月完成了大促。" in text
    assert "表现良好。" in text and "绩效考核表" in text and page_count(pdf) >= 1
    assert any("CJK" in f["name"] for f in fonts(pdf))
    # the review's snapshot: a newer job description without 投诉率 changes nothing printed
    from datetime import date

    from tests import factories

    factories.publish_jd(
        shop.ops, factories.jd_content("运营专员", kpis=[(shop.sales, 90000, 100)]), effective=date(2026, 12, 1)
    )
    assert "投诉率" in squeeze("".join(pages_text(employee.get(f"/appraisals/reviews/{review.id}/form.pdf").data)))


def test_others_cannot_print_someone_elses_form(app, shop, cycle):  # noqa: F811
    review = review_of(cycle, shop.li)
    employee = _client(app, shop.employee_user)  # 张伟, not 李娜
    assert employee.get(f"/appraisals/reviews/{review.id}/form.pdf").status_code == 404
    assert _client(app, shop.manager_user).get(f"/appraisals/reviews/{review.id}/form.pdf").status_code == 200


def test_the_results_report_lists_the_reviews_of_the_department(app, shop, cycle):  # noqa: F811
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review_of(cycle, shop.zhang))
    db.session.commit()
    hr = _client(app, shop.hr_user)
    response = hr.get(f"/appraisals/cycles/{cycle.id}/results.pdf?department={shop.ec.id}&lang=en")
    assert response.status_code == 200
    text = squeeze("".join(pages_text(response.data)))
    assert "APPRAISALRESULTS" in text and "电商部" in text
    for name in ("张伟", "李娜", "孙丽"):
        assert name in text
    assert "陈静" not in text  # 人事部 is not in the department asked for
    assert _client(app, shop.employee_user).get(f"/appraisals/cycles/{cycle.id}/results.pdf").status_code == 403


def test_the_filled_in_form_prints_the_outcome_superior_both_bands_and_rounded_figures(app, shop, cycle):  # noqa: F811
    from app.appraisals.services import flow

    review = review_of(cycle, shop.zhang)
    fill_self(review, actuals=("103333", "1.5"))
    review = review_of(cycle, shop.zhang)
    fill_manager(review)
    review = review_of(cycle, shop.zhang)
    flow.calibrate(review, "C", "与部门整体水平校准。", review.version, finalise=True)
    db.session.commit()
    review = review_of(cycle, shop.zhang)
    pdf = _client(app, shop.hr_user).get(f"/appraisals/reviews/{review.id}/form.pdf?lang=en").data
    text = squeeze("".join(pages_text(pdf)))
    assert "Directsuperior运营主管" in text  # EC-OPS reports to EC-LEAD
    assert "Proposed" in text and "outcome" in text and "Reward" in text  # the outcome's label, not its code
    assert f"C(calibratedbyHR;computed:{review.band})" in text  # both bands
    # the attainment of 103,333 against 100,000 → 80,000/120,000 is 103.3333…: printed 103.3
    assert "103.3" in text and "103.33" not in text
    final = f"{review.final_score:.1f}"
    assert final in text and f"{review.final_score:.2f}" not in text


def test_the_blank_form_prints_the_kpi_targets_of_one_period(app, shop):
    hr = _client(app, shop.hr_user)
    # EC-OPS: two monthly targets (60 % + 40 %) and a quarterly one (100 %)
    monthly = squeeze(
        "".join(pages_text(hr.get(f"/documents/positions/{shop.ops.id}/appraisal-form.pdf?lang=en").data))
    )
    assert "销售额" in monthly and "投诉率" in monthly and "库存周转率" not in monthly
    assert "KPItargetsoftheperiod:Monthly" in monthly and "Quarterly(printedonaformoftheirown)" in monthly
    response = hr.get(f"/documents/positions/{shop.ops.id}/appraisal-form.pdf?lang=en&period=quarterly")
    quarterly = squeeze("".join(pages_text(response.data)))
    assert "库存周转率" in quarterly and "销售额" not in quarterly
    assert hr.get(f"/documents/positions/{shop.ops.id}/appraisal-form.pdf?period=annual").status_code == 422
    # the API: a period that is not one answers 400/422 with the field named, an absent one 422
    from datetime import datetime, timezone

    from app.auth.services import issue_token

    token, clear = issue_token(shop.hr_user, "tests")
    token.last_used_at = datetime.now(timezone.utc)
    db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
    url = f"/api/v1/positions/{shop.ops.id}/appraisal-form.pdf"
    assert api.get(f"{url}?period=quarterly").mimetype == "application/pdf"
    for period in ("weekly", "annual"):
        response = api.get(f"{url}?period={period}")
        assert response.status_code == 422 and "period" in str(response.json), response.json


def test_long_results_are_made_by_a_background_task(app, shop, cycle, monkeypatch):  # noqa: F811
    """Results expected to be longer than PDF_SYNC_MAX_PAGES: the request queues a task and sends
    the user to its page (with the progress bar); the task makes the PDF of what its owner may see."""
    from app.tasks import services as tasks
    from app.tasks.models import Task

    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 2)  # the summary and charts take two
    manager = _client(app, shop.manager_user)
    url = f"/appraisals/cycles/{cycle.id}/results.pdf?lang=zh_CN"
    response = manager.get(url)
    assert response.status_code == 303 and response.headers["Location"].startswith("/tasks/")
    task_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="progressbar"' in page and "This PDF is long" in page
    assert manager.get(url).headers["Location"] == response.headers["Location"]  # the same task, not two
    assert db.session.get(Task, task_id).params == {"cycle_id": cycle.id, "department_id": None, "lang": "zh_CN"}
    tasks.run(task_id)
    db.session.expire_all()
    task = db.session.get(Task, task_id)
    assert task.status == "done", task.error
    pdf = manager.get(f"/tasks/{task_id}/download")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = squeeze("".join(pages_text(pdf.data)))
    assert "张伟" in text and "陈静" not in text  # the manager's reviews only
    # made now, it is cached: the same request downloads it at once
    again = manager.get(url)
    assert again.status_code == 200 and again.headers["X-Cache"] == "hit"


def test_long_results_answer_202_from_the_api(app, shop, cycle, monkeypatch):  # noqa: F811
    """The API decides as the page does: results expected to be longer than PDF_SYNC_MAX_PAGES are
    a background task (202, the task at Location), the same one when asked again; once made, the
    cached file is sent at once."""
    from datetime import datetime, timezone

    from app.auth.services import issue_token
    from app.tasks import services as tasks

    token, clear = issue_token(shop.hr_user, "tests")
    token.last_used_at = datetime.now(timezone.utc)
    db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
    cycle_id = cycle.id
    url = f"/api/v1/appraisal-cycles/{cycle_id}/results.pdf?lang=en"
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 2)
    response = api.get(url)
    assert response.status_code == 202, response.status_code
    task = response.json
    assert task["kind"] == "appraisal_results" and response.headers["Location"] == f"/api/v1/tasks/{task['id']}"
    assert api.get(url).json["id"] == task["id"]
    tasks.run(task["id"])
    again = api.get(url)
    assert again.status_code == 200 and again.mimetype == "application/pdf" and again.headers["X-Cache"] == "hit"
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 12)  # short enough: made in the request
    short = api.get(f"/api/v1/appraisal-cycles/{cycle_id}/results.pdf?lang=zh_CN")
    assert short.status_code == 200 and short.headers["X-Cache"] == "miss"
