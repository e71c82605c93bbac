"""The printed appraisal form and the cycle's export with the optional sections of issue 18:
individual goals (key results, progress, check-ins, the section score) and 360° feedback (how
many were asked and answered, the section score, the answers without who wrote them, under the
review page's minimum-responses rule). PDFs rendered for real and read back with pdftotext;
exports read back from XLSX and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.appraisals import services
from app.appraisals.services import feedback, flow, goals, launch
from app.appraisals.services.scoring import display
from app.appraisals.services.templates import default_settings
from app.documents import context as contexts
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import cycle, fill_manager, fill_self, make_cycle, review_of  # noqa: F401 (fixture)
from tests.appraisals.test_feedback import (  # noqa: F401 (fixture)
    COMMENTS,
    QUESTION,
    _answer_all,
    _as_of,
    _nominate_three,
    fb,
    feedback_template,
)
from tests.documents.conftest import fonts, in_order, pages_text, squeeze

RESPONDENTS = ("李娜", "赵敏", "孙丽")


def _template(feedback_on=True, goals_on=True):
    """KPIs 40 %, 20 % each for the sections that are on, the rest for the competencies."""
    settings = {**default_settings(), "name": f"sections {feedback_on} {goals_on}", "kpi_weight": 40}
    settings["competency_weight"] = 60 - 20 * feedback_on - 20 * goals_on
    if feedback_on:
        settings["feedback"] = {
            "enabled": True,
            "anonymous": True,
            "min_respondents": 2,
            "max_respondents": 4,
            "min_responses": 3,
            "days": 14,
            "questions": [QUESTION, "有什么建议？"],
            "weight": 20,
        }
    if goals_on:
        settings["goals"] = {"enabled": True, "weight": 20}
    return services.create_template(settings)


@pytest.fixture
def both(shop):
    """The shop's November cycle with 360° feedback (anonymous, 3 answers needed) and goals; the
    respondents 李娜, 赵敏 and 孙丽 have accounts (their e-mail addresses in ``both.emails``)."""
    cycle = make_cycle(template_id=_template().id)
    launch.launch_cycle(cycle)
    emails = []
    for person in (shop.li, shop.zhao, shop.sun):
        user = factories.create_user("employee")
        person.user_id = user.id
        emails.append(user.email)
    db.session.commit()
    cycle.emails = emails
    return cycle


def _set_goals(review):
    """Two agreed goals: 开设两家新店 (60 %, 2 of 3 shops: 66.7 %), and the live channel (40 %:
    done, and a basket from 88.5 to 120.25 now at 104.375, 50 %: 75 %). Section: 70.0."""
    first = goals.create_goal(
        review,
        goals.GoalData(
            title="开设两家新店",
            weight="60",
            kpi_code="SALES",
            key_results=[{"name": "新店开业数", "start": "0", "target": "3"}],
        ),
    )
    second = goals.create_goal(
        review,
        goals.GoalData(
            title="Launch the live channel",
            weight="40",
            key_results=[
                {"name": "Channel live", "start": "", "target": ""},
                {"name": "Average basket", "start": "88.5", "target": "120.25"},
            ],
        ),
    )
    db.session.commit()
    goals.agree(review, review.version)
    db.session.commit()
    first = goals.get_goal(review, first.id)
    goals.check_in(first, [{"id": first.key_results[0].id, "current": "2"}], "第一家店已开业", None, first.version)
    db.session.commit()
    second = goals.get_goal(review, second.id)
    live, basket = second.key_results
    goals.check_in(
        second,
        [{"id": live.id, "done": True}, {"id": basket.id, "current": "104.375"}],
        "Live since <b>10 November</b>",
        None,
        second.version,
    )
    db.session.commit()


def _finalised(review):
    fill_self(review)
    fill_manager(review_of(review.cycle, review.employee))
    review = review_of(review.cycle, review.employee)
    flow.finalise(review, review.version)
    db.session.commit()
    return review_of(review.cycle, review.employee)


def _pdf_text(client, review, lang):
    response = client.get(f"/appraisals/reviews/{review.id}/form.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return squeeze("".join(pages_text(response.data, "raw"))), response.data  # raw: in the order printed


def _no_identity(text: str, emails=()) -> None:
    for name in RESPONDENTS:
        assert name not in text, name
    for email in emails:
        assert squeeze(email) not in text, email


def test_the_form_prints_the_goals_and_the_feedback_in_english_and_chinese(app, both, shop):
    review = review_of(both, shop.zhang)
    _set_goals(review)
    _nominate_three(review, shop)
    _answer_all(review, levels=(4, 4, 5))
    with _as_of(both, 15):
        review = _finalised(review)
        assert review.goals_score == pytest.approx(70.0)
        assert review.feedback_score == pytest.approx(100 * 13 / 3 / 5)  # OPS rated 4, 4, 5 of 5
        for user in (shop.employee_user, shop.manager_user, shop.hr_user):  # the employee prints their own
            client = factories.logged_in_client(app, user)
            text, pdf = _pdf_text(client, review, "en")
            assert in_order(
                text,
                [
                    "1.Keyperformanceindicators",
                    "2.Competencies",
                    "3.Individualgoals",
                    "Goalsagreed",
                    "Goalsscore70.0·weight20%",
                    "1.开设两家新店",
                    "weight60%",
                    "AlignedKPI:销售额",
                    "progress66.7%",
                    "新店开业数0",
                    "3",
                    "266.7",
                    "第一家店已开业",
                    "2.Launchthelivechannel",
                    "weight40%",
                    "progress75.0%",
                    "Channellive—done/notdonedone100.0",
                    "Averagebasket88.5120.25104.37550.0",
                    "Livesince<b>10November</b>",  # user text printed as typed, never as markup
                    "4.360°feedback",
                    "Respondentsasked3Answersreceived3",
                    "Feedbackscore86.7·weight20%",
                    "3responses,aggregated.",
                    "电商运营能力4.33",  # the mean of 4, 4, 5 and the number of ratings
                    "服务意识—0",
                    QUESTION.replace(" ", ""),
                    *[squeeze(c) for c in sorted(COMMENTS, key=str.casefold)],
                    "有什么建议？—",
                    "5.Overallresult",
                    "6.Signatures",
                ],
            ), text
            _no_identity(text, both.emails)
        text, pdf = _pdf_text(client, review, "zh_CN")
        assert in_order(
            text,
            [
                "三、个人目标",
                "目标已确认",
                "目标得分70.0·权重20%",
                "开设两家新店",
                "对应KPI：销售额",
                "新店开业数",
                "四、360°反馈",
                "邀请反馈人数3收到回复数3",
                "反馈得分86.7·权重20%",
                "共3份反馈，汇总显示。",
                "各条回答按字母顺序列出，不注明作者。",
                "五、",
                "六、",
            ],
        ), text
        _no_identity(text, both.emails)
        assert any("CJK" in f["name"] for f in fonts(pdf))


def test_below_the_minimum_the_form_prints_counts_and_no_answer(app, fb, shop):
    review = review_of(fb, shop.zhang)
    _nominate_three(review, shop)
    _answer_all(review, levels=(4, 3), comments=COMMENTS[:2])
    client = factories.logged_in_client(app, shop.employee_user)
    with _as_of(fb, 15):
        text, _pdf = _pdf_text(client, review, "en")
        assert "Respondentsasked3Answersreceived2" in text and "Feedbackscore—" in text
        assert "Notenoughresponses:2camein,3areneededtoshowanonymousfeedback" in text
        assert not any(squeeze(c) in text for c in COMMENTS) and QUESTION.replace(" ", "") not in text
        assert "Individualgoals" not in text  # this template has no goals
        _no_identity(text)
        zh, _pdf = _pdf_text(client, review, "zh_CN")
        assert "回复不足：收到2份，显示匿名反馈至少需要3份" in zh
        assert not any(squeeze(c) in zh for c in COMMENTS)
    # before the deadline the answers are not shown either, whatever their number
    _answer_all_third = feedback.list_nominations(review)[2]
    feedback.answer(feedback.get_nomination(_answer_all_third.id), {"OPS": 5}, [COMMENTS[2]])
    db.session.commit()
    text, _pdf = _pdf_text(client, review, "en")
    assert "Feedbackisopen:3answer(s)sofar." in text and not any(squeeze(c) in text for c in COMMENTS)


def test_a_template_that_names_respondents_on_the_page_prints_no_name(app, shop):
    template = feedback_template(anonymous=False, min_responses=1)
    cycle = make_cycle(template_id=template.id)
    launch.launch_cycle(cycle)
    db.session.commit()
    review = review_of(cycle, shop.zhang)
    feedback.nominate(review, shop.li, "peer", "hr")
    feedback.nominate(review, shop.zhao, "peer", "hr")
    db.session.commit()
    feedback.answer(feedback.get_nomination(feedback.list_nominations(review)[0].id), {"OPS": 3}, ["Kind to all"])
    db.session.commit()
    hr = factories.logged_in_client(app, shop.hr_user)
    with _as_of(cycle, 15):
        assert feedback.view(review).attributed[0]["respondent"] == "李娜"  # the page names them
        text, _pdf = _pdf_text(hr, review, "en")
    assert "Kindtoall" in text and "Respondentsasked2Answersreceived1" in text
    _no_identity(text)


def test_a_template_without_goals_or_feedback_prints_as_before(app, cycle, shop):  # noqa: F811
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review_of(cycle, shop.zhang))
    review = review_of(cycle, shop.zhang)
    assert contexts.review_goals(review) is None and contexts.review_feedback(review) is None
    text, _pdf = _pdf_text(factories.logged_in_client(app, shop.employee_user), review, "en")
    assert in_order(text, ["2.Competencies", "3.Overallresult", "4.Signatures"])
    for word in ("Individualgoals", "360°feedback", "Respondentsasked", "Goalsscore"):
        assert word not in text


# --- the cycle's export -------------------------------------------------------------------------


def _xlsx(client, cycle):
    response = client.get(f"/appraisals/cycles/{cycle.id}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def _csv(client, cycle):
    return list(
        csv.reader(io.StringIO(client.get(f"/appraisals/cycles/{cycle.id}/export.csv").data.decode("utf-8-sig")))
    )


def test_the_export_has_the_section_scores_of_the_template_only(app, both, shop):
    review = review_of(both, shop.zhang)
    _set_goals(review)
    _nominate_three(review, shop)
    _answer_all(review, levels=(4, 4, 5))
    hr = factories.logged_in_client(app, shop.hr_user)
    with _as_of(both, 15):
        review = _finalised(review)
        li = review_of(both, shop.li)
        fill_self(li)  # in progress: no section score shown, like the KPI and competency scores
        rows = _xlsx(hr, both)
    header = [c.value for c in rows[0]]
    assert header[7:12] == ["KPI score", "Competency score", "Feedback score", "Goals score", "Final score"]
    assert header[15] == "Provisional score (not finalised)"
    zhang = next(r for r in rows if r[0].value == "E002")
    feedback_cell, goals_cell = zhang[9], zhang[10]
    # numbers, one decimal like the pages and the other scores, never text a spreadsheet could evaluate
    assert feedback_cell.data_type == "n" and feedback_cell.value == float(display(review.feedback_score)) == 86.7
    assert goals_cell.data_type == "n" and goals_cell.value == 70.0 and goals_cell.number_format == "0.0"
    assert zhang[11].value == float(display(review.final_score))
    li_row = next(r for r in rows if r[0].value == "E003")
    assert li_row[9].value is None and li_row[10].value is None and li_row[15].value is not None
    hr.post("/language", data={"lang": "zh_CN"})
    table = _csv(hr, both)
    assert table[0][7:12] == ["KPI 得分", "能力得分", "反馈得分", "目标得分", "总分"]
    row = next(r for r in table if r[0] == "E002")
    assert row[9:11] == ["86.7", "70.0"]
    assert next(r for r in table if r[0] == "E003")[9:11] == ["", ""]


def test_the_export_leaves_out_the_sections_the_template_does_not_use(app, shop, cycle):  # noqa: F811
    goals_only = make_cycle(name="goals only", template_id=_template(feedback_on=False).id)
    launch.launch_cycle(goals_only)
    db.session.commit()
    hr = factories.logged_in_client(app, shop.hr_user)
    header = [c.value for c in _xlsx(hr, goals_only)[0]]
    assert header[7:11] == ["KPI score", "Competency score", "Goals score", "Final score"]
    assert "Feedback score" not in header
    plain = _csv(hr, cycle)[0]
    assert plain[7:10] == ["KPI score", "Competency score", "Final score"]
    assert "Feedback score" not in plain and "Goals score" not in plain
