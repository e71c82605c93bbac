"""Text that cannot be broken at spaces (URLs, codes, the largest numbers a KPI may have) wraps inside its table cell
instead of running off the page: every word pdftotext finds lies within the page's content box."""

from __future__ import annotations

import re
import subprocess
from html import unescape

from app.documents import services
from app.jobs import services as jobs
from tests import factories
from tests.documents.conftest import jd_content, pages_text, squeeze

TOKEN = "https://example.com/" + "".join(f"K{n:03d}x" for n in range(36))[:180]  # 200 characters, no space
MM = 72 / 25.4
RIGHT_MARGIN = {"portrait": 17 * MM, "landscape": 15 * MM}  # print.css's @page margins
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def overflowing_words(pdf: bytes) -> list[tuple[int, str, float]]:
    """(page, word, how far it reaches past the right margin in pt) of every word beyond it."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    found = []
    for number, (width, height, body) in enumerate(PAGE.findall(out), start=1):
        width, height = float(width), float(height)
        edge = width - RIGHT_MARGIN["landscape" if width > height else "portrait"] + 0.5
        found += [
            (number, unescape(word), round(float(x_max) - edge, 1))
            for _x_min, x_max, word in WORD.findall(body)
            if float(x_max) > edge
        ]
    return found


def test_long_unbroken_text_and_big_numbers_stay_inside_the_page(ctx, shop):
    content = jd_content(shop, title=TOKEN[:120], duties_1=[TOKEN, "组织活动" + TOKEN])
    content["purpose"] = TOKEN
    content["requirements"][0]["text"] = TOKEN
    content["sections"][0]["duties"][1]["standard"] = TOKEN
    content["kpis"][0].update(target=98765432109876.5, threshold=12345678901234.25, stretch=99999999999999, note=TOKEN)
    shop.lead.code = "LONG-" + "C" * 35  # the longest code a position may have (40)
    version = factories.publish_jd(shop.lead, content)
    for lang in ("zh_CN", "en"):
        pdf = services.job_description_pdf(jobs.get_version(version.id), lang).read()
        text = squeeze("".join(pages_text(pdf, "raw")))  # in drawing order: a cell's lines together
        assert TOKEN[-40:] in text and "98,765,432,109,876.5" in text  # printed, only wrapped
        assert overflowing_words(pdf) == []
        manual = services.manual_pdf(None, lang).read()  # the headcount plan and the contents too
        assert overflowing_words(manual) == []
