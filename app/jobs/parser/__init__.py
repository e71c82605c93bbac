"""Turn a messy pasted job-description document into structure (standard library only).

Pipeline, one pass over the lines after a look at the whole:

0. tables and layout (``tables``, ``layout``) - the page chunks of a document-sharing site
   (each line opening with a chunk number "1、 " "2、 " that is no list number, the document's
   own headings and items run together inside: ``layout.page_chunks``) are put back together
   and cut again where the document's structure starts - only on page evidence (a numbered
   heading or a header row run into a line), never for an ordinary numbered list; table rows (cells joined by TAB, as the
   upload's text extraction writes Word and HTML tables) are rewritten as the lines a text
   document would have (``岗位名称：客服主管``, ``任职资格：`` then ``学历：大专及以上``, KPI rows
   as items), "【职位名称】X" and a field label with its value on the next line become
   ``label：value``, a bullet alone on its line ("-" then the text, as web lists are copied)
   marks the next line; the title the first lines name is found ("客服主管岗位说明书" names
   客服主管, also before a site's name: "X岗位职责_某公司 - 百度文库"; "What Does a X Do?"; a
   short first line before a heading or a field, preferably one naming a position) and those
   lines are not items;
1. normalise - each line gets a same-length *matching copy* with full-width forms (``１．``
   ``（一）`` ``：``) folded to ASCII and Traditional characters to Simplified ones (``職務名稱``
   matches ``职务名称``); regexes run on the copy, returned text is sliced from the original,
   so the parser never invents characters (table rows aside: their cells are joined with ``：``)
   and keeps the user's script;
2. drop noise - whole lines that look like web-page or PDF furniture (download banners, view
   counters, file information ``格式:doc`` ``大小:154.00 KB`` ``文档页数:2``, page numbers
   ``第 1 页 共 2 页``, running page headers, "reproduced from" notes, job-board furniture:
   ``8-12K · 上海 · 1-3年 · 大专``, 立即沟通, 发布时间, "Salary $…", "Apply Online") are skipped,
   counted in a warning, and end the open item; in a long line that lost its line breaks only
   the noise is cut;
3. split lines into tokens (``lines``) - numbering markers (``1、`` ``2.`` ``(一)`` ``①`` ``A、``
   ``•`` ``-负责``...), field labels (``直接上级:``), headings (``岗位职责:``, ``Job requirements``,
   run-on Title Case headings of long English lines) and plain labels (``市场部:``). A marker
   inside a line starts an item only after a sentence end or a space *and* when it is the next
   number of its list, so "48小时内" or "2,5以上" never split an item; "2.3年以上经验" is item 2
   when item 1 came before it, a decimal otherwise; a number further on after a sentence end
   ("…处理。8.负责…") starts an item (with a warning about the gap) unless the next line carries
   on the list below it (then a warning says the item may hold two);
4. assemble (``document``) - items go into sections. A short unpunctuated item followed by a
   deeper list (``1)、关于管理工作`` then ``A、``), or a short ``一、``/``(一)`` item, is taken
   for a sub-heading, tentatively: if nothing comes under it before its list goes on or ends, it
   is an item after all (a run of "一、…" items with no children is a list). A line without a
   marker continues an unfinished item when the previous line looks wrapped (English: when it
   starts in lower case or the item ends on "the", "of"…); lines right under a heading of which
   none ends a sentence are one item each ("Responsibilities" then "Upload new products");
   otherwise a line is a paragraph (a requirement if it looks like one, e.g. "25—45岁3年运营经验",
   or is labelled so under a requirements heading, "学历：本科"). Prose before the numbered list
   of its section ("…主要包括以下几个方面：", "The role varies…, but most handle the following:")
   is a lead-in, an "other" item, and so is a numbered question ("1. What Does a X Do?");
5. extract fields - the first value of each field label wins; the paragraphs under a purpose
   heading (岗位目的 / 职位概述 / 岗位描述 / Job Summary …) are the purpose (``fields["purpose"]``;
   a numbered list under 职位描述 is duties).

Nothing is dropped silently: text that fits no section is an "other" item, and a heading with
nothing under it is named in a warning. Section kinds come from heading keywords
(``patterns.KINDS``; salary, benefits, working conditions, how to apply, contacts are "other").
Headings without a keyword inherit the kind in force (duties at the start of a document);
``label: value`` facts are "other" sections.
"""

from __future__ import annotations

from app.jobs.parser import layout
from app.jobs.parser.document import Doc
from app.jobs.parser.lines import Line
from app.jobs.parser.messages import (
    ERR_EMPTY,
    ERR_NOT_TEXT,
    ERR_TOO_LONG,
    MAX_WARNINGS,
    WARN_EMPTY_HEADING,
    WARN_JUMP,
    WARN_JUMP_UNTITLED,
    WARN_MORE,
    WARN_NO_DUTIES,
    WARN_NOISE,
    WARN_NOISE_ONE,
    WARN_RUN_ON,
    WARN_RUN_ON_UNTITLED,
    WARN_START,
    WARN_START_UNTITLED,
)
from app.jobs.parser.patterns import KIND_MEMO, MARKER, decode, fold, noise_search

MAX_CHARS = 200_000

__all__ = [
    "MAX_CHARS",
    "ParseError",
    "parse_job_description",
    "ERR_EMPTY",
    "ERR_NOT_TEXT",
    "ERR_TOO_LONG",
    "MAX_WARNINGS",
    "WARN_EMPTY_HEADING",
    "WARN_JUMP",
    "WARN_JUMP_UNTITLED",
    "WARN_MORE",
    "WARN_NO_DUTIES",
    "WARN_NOISE",
    "WARN_NOISE_ONE",
    "WARN_RUN_ON",
    "WARN_RUN_ON_UNTITLED",
    "WARN_START",
    "WARN_START_UNTITLED",
]


class ParseError(ValueError):
    """The text cannot be parsed at all (not text, empty, or longer than MAX_CHARS)."""


def parse_job_description(text: str) -> dict:
    """Parse pasted job-description text into ``{"title", "fields", "sections", "duties",
    "requirements", "warnings"}`` (see the module docstring); ``fields`` holds ``reports_to``,
    ``direct_reports``, ``department``, ``headcount`` and ``purpose``. Raises ParseError for text
    that is not a string, empty or whitespace only, or longer than MAX_CHARS."""
    if not isinstance(text, str):
        raise ParseError(ERR_NOT_TEXT)
    if len(text) > MAX_CHARS:
        raise ParseError(ERR_TOO_LONG.format(length=len(text), limit=MAX_CHARS))
    if not text.strip():
        raise ParseError(ERR_EMPTY)
    KIND_MEMO.clear()
    lines = layout.lone_bullets(
        [(raw, norm) for raw in layout.untabled(layout.page_chunks(text.splitlines())) if (norm := fold(raw)).strip()]
    )
    lines = [layout.bracket_label(raw, norm) for raw, norm in lines] if any("【" in r for r, _ in lines) else lines
    lines = (
        [layout.emphasis(raw, norm) for raw, norm in lines] if any("**" in r or "__" in r for r, _ in lines) else lines
    )
    layout.label_lines(lines)
    noise = [noise_search(norm) is not None for _, norm in lines]
    if any(noise):
        layout.cut_noise(lines, noise)
    layout.split_title(lines, noise)
    layout.running_headers(lines, noise)
    markers = [MARKER.match(norm, len(norm) - len(norm.lstrip())) for _, norm in lines]
    title, title_at = layout.find_title(lines, noise, markers)
    hard = layout.item_per_line(lines, noise, markers)
    subheads = layout.subheadings(lines, noise, markers, title_at)
    doc = Doc()
    widest = max((layout.width(norm) for i, (_, norm) in enumerate(lines) if not noise[i]), default=0)
    doc.wrap_width = max(doc.wrap_width, int(0.8 * widest))  # nearly as wide as the widest: maybe wrapped (PDF)
    for i, (raw, norm) in enumerate(lines):
        if noise[i] or i in title_at:  # a dropped line also ends the open item: items never span removed text
            doc.end_line(0, close=True)
            continue
        m = (
            next((markers[j] for j in range(i + 1, min(i + 4, len(lines))) if not noise[j]), None)
            if i + 1 < len(lines)
            else None
        )
        doc.hard, doc.next_marker = hard[i], (decode(m) if m else None)
        if i in subheads:  # "店铺基础管理" over "店铺搭建与维护：…" lines or a numbered list
            doc.pend("label", raw)
            doc.end_line(0)
            continue
        Line(doc, raw, norm, doc.next_marker).scan()
    result = doc.result(title)
    if any(noise):
        count = sum(noise)
        result["warnings"].insert(0, WARN_NOISE_ONE if count == 1 else WARN_NOISE.format(count=count))
    return result
