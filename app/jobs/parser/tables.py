"""Table rows (cells joined by TAB, one row per line, as the upload's text extraction writes Word
and HTML tables) rewritten as the lines a text document would have, so that a table-form job
description gives the same structure as a text one.

- ``岗位名称 | 客服主管 | 所属部门 | 电商部`` pairs labels with values: ``岗位名称：客服主管`` and
  ``所属部门：电商部`` (a field, a heading with its text such as ``工作职责：1、负责…``, or a plain label);
- ``任职资格 | 学历 | 大专及以上`` is a heading with a labelled row under it: ``任职资格：`` then
  ``学历：大专及以上``; a first cell holding a number numbers the row (``1 | 负责…`` is ``1、负责…``);
- a row whose first cell is empty, or repeats the one above (a vertically merged cell), carries
  on the section of the row above: ``| 2、负责…`` is the next item;
- a header row (``指标 | 权重 | 目标``, ``序号 | 工作内容 | 频次``) makes the rows under it items
  of one list, their cells joined: ``客户满意度 40% ≥95%``; a number cell becomes the item's number;
  ``项目 | 内容`` (the header of a label/value table) is dropped.

Nothing here decides what a label means: the rewritten lines go through the same parser as text.
"""

from __future__ import annotations

import re

from app.jobs.parser.patterns import FOLD, REQ_LABEL, heading_like, kind_of, wide

# Column titles of a list table; a row made only of these (after an optional label cell) is a header.
_COLUMN = re.compile(
    r"(?:序号|编号|项目|内容|指标|指标名称|考核指标|考核项目|KPI|权重|目标|目标值|考核标准|评分标准|标准"
    r"|工作内容|职责|工作职责|职责描述|频次|频率|时限|完成时限|工作标准|占比|No\.?|#|Item|Indicator|Metric"
    r"|Weight(?:ing)?|Target|Task|Duty|Frequency|Standard)",
    re.I,
)
_PAIR_HEADER = {"项目", "内容", "item", "content", "项目名称"}  # the header of a label/value table
_NUMBER = re.compile(r"[0-9]{1,3}\.?")


def _is_label(cell: str) -> bool:
    return bool(cell) and len(cell) <= 40 and heading_like(cell, "label")


def _colon(label: str) -> str:
    return label + (": " if label[-1:].isascii() else "：")


def _join(cells: list[str]) -> str:
    out = ""
    for c in cells:
        if out:
            out += "，" if wide(out[-1]) and wide(c[0]) else " "
        out += c
    return out


def _header(cells: list[str]) -> bool:
    return len(cells) >= 2 and all(_COLUMN.fullmatch(c.translate(FOLD).strip()) for c in cells)


def rewrite(rows: list[str]) -> list[str]:
    """The lines of text that say what the table ``rows`` (TAB-separated cells) say."""
    out: list[str] = []
    first_above = None  # the first cell of the row above (a merged cell repeats it)
    columns = False  # under a header row: rows are items of one list
    for row in rows:
        cells = [c.strip() for c in row.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        carried = not cells[0] or (first_above is not None and cells[0] == first_above and len(cells) > 1)
        if not carried:
            first_above = cells[0]
        body = [c for c in (cells[1:] if carried else cells) if c]
        if not carried and len(body) >= 3 and _header(body[1:]) and kind_of(body[0]):
            out.append(_colon(body[0]))  # "考核指标 | 指标 | 权重 | 目标"
            columns, first_above = True, body[0]
            continue
        if _header(body):
            columns = True
            if {c.lower() for c in body} <= _PAIR_HEADER:
                columns = False  # "项目 | 内容": label/value rows follow
            elif not carried:
                first_above = None
            continue
        if columns and (carried or len(body) > 1):
            number = body[0] if _NUMBER.fullmatch(body[0]) and len(body) > 1 else None
            text = _join(body[1:] if number else body)
            out.append(f"{number.rstrip('.')}、{text}" if number else f"• {text}")
            continue
        columns = False
        if len(body) > 1 and _NUMBER.fullmatch(body[0]):  # "1 | 负责…" without a header row
            out.append(f"{body[0].rstrip('.')}、{_join(body[1:])}")
            continue
        out.extend(_pairs(body))
    return out


def _pairs(cells: list[str]) -> list[str]:
    """Label/value cells as lines: a label followed by a value is ``label：value``; a label
    followed by another label and a value is a heading over ``label：value``."""
    lines, i = [], 0
    while i < len(cells):
        cell = cells[i]
        if i + 1 < len(cells) and _is_label(cell):
            nxt = cells[i + 1]
            if i + 2 < len(cells) and REQ_LABEL.fullmatch(nxt.translate(FOLD)) and kind_of(cell):
                lines.append(_colon(cell))  # "任职资格 | 学历 | 大专" : a heading over a labelled row
                i += 1
                continue
            lines.append(_colon(cell) + nxt)  # "岗位名称：客服主管", "学历：大专", "工作职责：1、…"
            i += 2
            continue
        lines.append(cell)
        i += 1
    return lines
