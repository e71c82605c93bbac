"""Turn a messy pasted job-description document into structure (standard library only).

Pipeline, one pass over the lines:

1. normalise - each line gets a same-length *matching copy* with full-width forms (``１．``
   ``（一）`` ``：``) folded to ASCII and Traditional characters to Simplified ones (``職務名稱``
   matches ``职务名称``); regexes run on the copy, returned text is sliced from the original,
   so the parser never invents characters and keeps the user's script;
2. drop noise - whole lines that look like web-page furniture (download banners, view counters,
   "reproduced from" notes) are skipped, counted in a warning, and end the open item;
3. split lines into tokens (``lines``) - numbering markers (``1、`` ``2.`` ``(一)`` ``①`` ``A、``
   ``•`` ``-负责``...), field labels (``直接上级:``), headings (``岗位职责:``, ``Job requirements``)
   and plain labels (``市场部:``). A marker inside a line starts an item only after a sentence
   end or a space *and* when it is the next number of its list, so "48小时内" or "2,5以上" never
   split an item; "2.3年以上经验" is item 2 when item 1 came before it, a decimal otherwise;
   a number further on after a sentence end ("…处理。8.负责…") starts an item (with a warning
   about the gap) unless the next line carries on the list below it (then a warning says the
   item may hold two);
4. assemble (``document``) - items go into sections. A short unpunctuated item followed by a
   deeper list (``1)、关于管理工作`` then ``A、``), or a short ``一、``/``(一)`` item, is taken
   for a sub-heading, tentatively: if nothing comes under it before its list goes on or ends, it
   is an item after all (a run of "一、…" items with no children is a list). A line without a
   marker continues an unfinished item when the previous line looks wrapped; otherwise it is a
   paragraph (a requirement if it looks like one, e.g. "25—45岁3年运营经验");
5. extract fields - the first value of each field label wins.

Nothing is dropped silently: text that fits no section is an "other" item, and a heading with
nothing under it is named in a warning. Section kinds come from heading keywords
(``patterns.KINDS``). Headings without a keyword inherit the kind in force (duties at the start
of a document); ``label: value`` facts are "other" sections.
"""
from __future__ import annotations

from app.jobs.parser.document import Doc
from app.jobs.parser.lines import Line
from app.jobs.parser.messages import (ERR_EMPTY, ERR_NOT_TEXT, ERR_TOO_LONG, MAX_WARNINGS, WARN_EMPTY_HEADING,
                                      WARN_JUMP, WARN_JUMP_UNTITLED, WARN_MORE, WARN_NO_DUTIES, WARN_NOISE,
                                      WARN_NOISE_ONE, WARN_RUN_ON, WARN_RUN_ON_UNTITLED, WARN_START,
                                      WARN_START_UNTITLED)
from app.jobs.parser.patterns import FOLD, MARKER, NOISE, decode

MAX_CHARS = 200_000

__all__ = ["MAX_CHARS", "ParseError", "parse_job_description", "ERR_EMPTY", "ERR_NOT_TEXT", "ERR_TOO_LONG",
           "MAX_WARNINGS", "WARN_EMPTY_HEADING", "WARN_JUMP", "WARN_JUMP_UNTITLED", "WARN_MORE", "WARN_NO_DUTIES",
           "WARN_NOISE", "WARN_NOISE_ONE", "WARN_RUN_ON", "WARN_RUN_ON_UNTITLED", "WARN_START",
           "WARN_START_UNTITLED"]


class ParseError(ValueError):
    """The text cannot be parsed at all (not text, empty, or longer than MAX_CHARS)."""


def parse_job_description(text: str) -> dict:
    """Parse pasted job-description text into ``{"title", "fields", "sections", "duties",
    "requirements", "warnings"}`` (see the module docstring). Raises ParseError for text that is
    not a string, empty or whitespace only, or longer than MAX_CHARS."""
    if not isinstance(text, str):
        raise ParseError(ERR_NOT_TEXT)
    if len(text) > MAX_CHARS:
        raise ParseError(ERR_TOO_LONG.format(length=len(text), limit=MAX_CHARS))
    if not text.strip():
        raise ParseError(ERR_EMPTY)
    lines = [(raw, norm) for raw in text.splitlines() if (norm := raw.translate(FOLD)).strip()]
    noise = [bool(NOISE.search(norm)) for _, norm in lines]
    doc = Doc()
    for i, (raw, norm) in enumerate(lines):
        if noise[i]:  # a dropped line also ends the open item: items never span removed text
            doc.end_line(0, close=True)
            continue
        nxt = next((n for j, (_, n) in enumerate(lines[i + 1:i + 4], i + 1) if not noise[j]), "")
        m = MARKER.match(nxt, len(nxt) - len(nxt.lstrip()))  # does the next line start a list?
        Line(doc, raw, norm, decode(m) if m else None).scan()
    result = doc.result()
    if any(noise):
        count = sum(noise)
        result["warnings"].insert(0, WARN_NOISE_ONE if count == 1 else WARN_NOISE.format(count=count))
    return result
