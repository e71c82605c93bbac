"""PDF tables never break a word: every column heading of the job description, the blank and the
filled-in appraisal form and the results report, and the short words of their cells (periods,
units, steps), come out of the PDF whole, in English and in Chinese (pdftotext)."""

from __future__ import annotations

import subprocess

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.appraisals.services import flow
from app.documents import cache
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import cycle, fill_manager, fill_self, review_of, shop  # noqa: F401 (fixtures)

JD = (
    "KPI",
    "Unit",
    "Target",
    "Threshold",
    "Stretch",
    "Weight",
    "Period",
    "Competency",
    "Required level",
    "What the level means",
    "Position title",
    "Position code",
    "Department",
    "Direct superior",
    "Direct subordinates",
    "Grade",
    "Headcount",
    "Monthly",
    "Quarterly",
)
FORM = (
    "KPI",
    "Unit",
    "Target",
    "Threshold",
    "Stretch",
    "Weight",
    "Actual",
    "Attainment",
    "Comments",
    "Competency",
    "Required level",
    "Self rating",
    "Manager rating",
    "Employee",
    "Employee number",
    "Reviewer",
    "Appraisal period",
    "Department",
    "Direct superior",
    "Score",
    "Band",
    "Proposed outcome",
)
RESULTS = (
    "Reviews",
    "Finalised",
    "Acknowledged",
    "Overdue",
    "Average final score",
    "Reviews by step",
    "Department",
    "Number",
    "Employee",
    "Position",
    "Reviewer",
    "Step",
    "Final",
    "Band",
    "Outcome",
    "Self-review",
    "Manager review",
    "HR calibration",
)


def _lines(pdf: bytes) -> list[list[str]]:
    text = (
        subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .replace("\xa0", " ")
    )
    return [line.split() for line in text.splitlines() if line.strip()]


def broken_words(pdf: bytes, phrases) -> list[str]:
    """The words of ``phrases`` that the PDF shows cut in two: one line ends with the word's
    beginning and another begins with its rest ("Weigh" … "t %", "Quarterl" … "y", "上级评" … "分")."""
    lines = _lines(pdf)
    last = {tokens[-1] for tokens in lines}
    first = [tokens[0] for tokens in lines]
    tokens = {token for line in lines for token in line}
    broken = []
    for phrase in phrases:
        for word in phrase.split():
            if word in tokens or any(word in token for token in tokens):
                continue  # whole somewhere: (also) printed in one piece
            if any(word[:i] in last and any(f.startswith(word[i:]) for f in first) for i in range(1, len(word))):
                broken.append(word)
            else:
                broken.append(f"{word} (missing)")
    return broken


def _client(app, user, lang):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    client.post("/language", data={"lang": lang})
    return client


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_no_table_heading_or_short_value_breaks_a_word(app, cycle, shop, lang):
    review = review_of(cycle, shop.zhang)
    fill_self(review)
    fill_manager(review)
    flow.finalise(review, review.version)
    db.session.commit()
    cache.clear()
    hr = _client(app, shop.hr_user, lang)
    documents = {
        "job description": (f"/documents/versions/{shop.jd.id}/job-description.pdf", JD),
        "blank form": (f"/documents/positions/{shop.ops.id}/appraisal-form.pdf", FORM),
        "filled-in form": (f"/appraisals/reviews/{review.id}/form.pdf", FORM),
        "results": (f"/appraisals/cycles/{cycle.id}/results.pdf", RESULTS),
    }
    with force_locale(lang):
        for name, (url, words) in documents.items():
            response = hr.get(url)
            assert response.status_code == 200 and response.mimetype == "application/pdf", name
            assert broken_words(response.data, [_(w) for w in words]) == [], name


def test_the_check_sees_a_broken_word():
    """The check itself: a heading cut in two is found, a whole one is not."""
    from weasyprint import HTML

    narrow = HTML(
        string='<table style="width: 14mm; table-layout: fixed; overflow-wrap: anywhere">'
        "<tr><th>Quarterly</th></tr></table>"
    ).write_pdf()
    wide = HTML(string="<table><tr><th>Quarterly</th></tr></table>").write_pdf()
    assert broken_words(narrow, ["Quarterly"]) == ["Quarterly"]
    assert broken_words(wide, ["Quarterly"]) == []
