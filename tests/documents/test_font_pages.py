"""A process that lays out a manual's part hands back the pages of the font files it read (the
Noto CJK collections are ~80 MB, and each worker would keep what it read resident): the part is
still whole, and the next layout reads the fonts again as if nothing happened."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import rolebook_pdf_engine as engine

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/smaps").exists() or not sys.platform.startswith("linux"),
    reason="resident pages per mapping are read from Linux's /proc",
)

HTML = (
    "<html><body>"
    + "".join(
        f"<h1>岗位说明书 {n}</h1><p><b>负责</b>制定并执行部门的月度工作计划，分解目标到人，"
        f"跟踪完成情况并每周汇报。Duties {n}.</p>"
        for n in range(30)
    )
    + "</body></html>"
)


def font_resident_kb() -> int:
    """Resident kB of this process's mappings of font files."""
    total, in_font = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5 and ":" not in fields[0]:
            in_font = len(fields) >= 6 and fields[5].lower().endswith(engine._FONT_FILES)
        elif in_font and fields and fields[0] == "Rss:":
            total += int(fields[1])
    return total


def test_font_pages_are_released_after_a_part_and_read_again_for_the_next(tmp_path):
    with engine.rendering(HTML) as document:
        document.write_pdf(tmp_path / "plain.pdf")
    read = font_resident_kb()
    assert read > 2000, read  # laying out Chinese text read the CJK fonts
    assert engine.release_font_pages() > 0
    assert font_resident_kb() < read / 4

    first = engine.render_part(HTML, str(tmp_path / "first.pdf"))
    assert font_resident_kb() < read / 4  # released by the part itself
    second = engine.render_part(HTML, str(tmp_path / "second.pdf"))
    assert first.pages == second.pages == len(PdfReader(tmp_path / "second.pdf").pages) >= 2
    text = PdfReader(tmp_path / "second.pdf").pages[0].extract_text()
    assert "岗位说明书" in text and "每周汇报" in text
    assert (tmp_path / "first.pdf").read_bytes()[:5] == b"%PDF-"


def test_font_pages_stay_low_while_a_long_part_is_laid_out():
    """The release also runs every FONT_PAGES_EVERY seconds during a layout."""
    with engine.font_pages_kept_low(every=0.01):
        with engine.rendering(HTML * 3) as document:
            assert len(document.pages) >= 2
    assert font_resident_kb() < 2000
