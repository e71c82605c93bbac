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
    assert "张伟" in text and "E002" in text and "王强" in text     # the employee and the reviewer
    assert in_order(text, ["销售额", "投诉率"]) and "110,000" in text and "本月完成了大促。" in text
    assert "表现良好。" in text and "绩效考核表" in text and page_count(pdf) >= 1
    assert any("CJK" in f["name"] for f in fonts(pdf))
    # the review's snapshot: a newer job description without 投诉率 changes nothing printed
    from datetime import date

    from tests import factories

    factories.publish_jd(shop.ops, factories.jd_content("运营专员", kpis=[(shop.sales, 90000, 100)]),
                         effective=date(2026, 12, 1))
    assert "投诉率" in squeeze("".join(pages_text(employee.get(f"/appraisals/reviews/{review.id}/form.pdf").data)))


def test_others_cannot_print_someone_elses_form(app, shop, cycle):  # noqa: F811
    review = review_of(cycle, shop.li)
    employee = _client(app, shop.employee_user)                  # 张伟, not 李娜
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
    assert "陈静" not in text                                    # 人事部 is not in the department asked for
    assert _client(app, shop.employee_user).get(f"/appraisals/cycles/{cycle.id}/results.pdf").status_code == 403
