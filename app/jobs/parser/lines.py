"""Tokenising one line: markers, field labels and headings cut it into pieces fed to a Doc."""

from __future__ import annotations

from app.jobs.parser.document import Doc
from app.jobs.parser.patterns import (
    COLON,
    DOC,
    FIELD,
    FIELD_NAME,
    FORM_CELL,
    LABELLED_LINE,
    LATIN_KIND_RE,
    MARKER,
    MODIFIERS,
    NOT_BEFORE_LABEL,
    REQ_LABEL_ANY,
    SELF_DELIMITED,
    SHORT_FIELD,
    TERM,
    decode,
    frag_start,
    heading_like,
    heading_start,
    kind_of,
    wide,
)

MAX_JUMP = 9  # "…处理。8.负责…" may skip this many numbers and still start an item


def _decimal_like(norm: str, end: int) -> bool:
    """After "2." : do digits follow that read as a number in the text ("2.5%", "1.25") rather
    than the start of an item ("2.3年以上经验", "3.10天内")? Up to two digits then CJK text
    or a space make an item start."""
    i = end
    while i < len(norm) and norm[i].isdigit() and i - end < 3:
        i += 1
    return i - end > 2 or i >= len(norm) or not (wide(norm[i]) or norm[i].isspace())


def inline_marker_ok(doc: Doc, norm: str, m, fam: str, ordv: int, cut: int, in_value: bool, next_marker) -> bool:
    """May a marker inside a line start an item? After a sentence end, a space or a colon, and
    as the next number of its list ("(3)" "③" need no space; "…处理9,对…" needs ordinal >= 2).
    A number further on starts an item after a sentence end when the next line does not carry
    on the list below it ("…处理。8.负责…" then a new section); otherwise it stays in the text
    and a warning says so."""
    p, end = m.start(), m.end()
    prev, nxt = norm[p - 1], norm[end : end + 1]
    boundary = p == cut or prev.isspace() or prev in TERM or prev == ":"
    if fam == "bullet":
        cjk_before = (
            wide(prev) or prev in ":;" or (prev.isspace() and p > 1 and (wide(norm[p - 2]) or norm[p - 2] in ":;)]"))
        )
        after = norm[end + 1 : end + 2]
        return (
            (boundary and norm[p] in "•●▪■◆◇")
            or (norm[p] == "-" and nxt.isspace() and cjk_before and wide(after or "a"))
            or (
                # an English list whose line breaks were lost: "… often include: - Scheduling …. - Document …"
                norm[p] == "-"
                and nxt == " "
                and prev == " "
                and p > 1
                and after.isupper()
                and (
                    norm[p - 2] in ".:;!?"
                    or in_value
                    or (fam in doc.stack and (norm[p - 2].isalnum() or norm[p - 2] in ")%"))
                )
            )
        )
    sep = m.group("sep") if fam == "arabic" else None
    if (
        sep in (",", ".")
        and nxt.isdigit()
        and (fam not in doc.stack or (sep == "." and (not boundary or _decimal_like(norm, end))))
    ):
        return False  # "1,000", "增长2.5%"; but " 2.3年以上经验" is item 2
    if not (doc.expected(fam, ordv) or (in_value and ordv == 1 and boundary)):
        last = doc.last.get(fam, 0)
        if fam in doc.stack and prev in TERM and prev != "." and last + 1 < ordv <= last + MAX_JUMP:
            if next_marker is None or next_marker[0] != fam or next_marker[1] > ordv:
                return True  # the list goes on with a gap: start_item warns about the jump
            doc.warn_run_on(fam, ordv)
        return False
    if fam in SELF_DELIMITED:
        return True
    if fam == "letter" and (not nxt or nxt.isascii()):
        return False  # "Plan A. Then"
    return (
        boundary
        or (
            fam == "arabic"
            and ordv >= 2
            and wide(prev)
            and prev not in NOT_BEFORE_LABEL
            and sep in ".,"
            and not nxt.isdigit()
        )
        or (fam == "cn" and ordv >= 2 and wide(prev) and prev not in NOT_BEFORE_LABEL and norm[end - 1] == "、")
    )


class Line:
    """Cuts one line at markers, field labels and headings and feeds the pieces to a Doc.
    ``cur``: start of the pending text; ``cut``: end of the last cut; ``mode``: what the pending
    text belongs to - "lead" (continuation or paragraph), "item" or "value" (after a colon).
    ``next_marker``: (family, ordinal) of the marker that starts the next line, if any."""

    def __init__(self, doc: Doc, raw: str, norm: str, next_marker):
        self.doc, self.raw, self.norm, self.next_marker = doc, raw, norm, next_marker
        self.next_one = next_marker is not None and next_marker[1] <= 1
        self.first, self.end = len(norm) - len(norm.lstrip()), len(norm.rstrip())
        self.cur = self.cut = self.first
        self.mode = "lead"

    def flush(self, b: int):
        self.doc.text(self.raw[self.cur : b], lead=self.mode == "lead")

    def fragment(self, p: int):
        """(start, text) of the short sentence fragment just before ``p``, or (None, "")."""
        fs = frag_start(self.norm, self.cur, p)
        return (fs, self.norm[fs:p]) if fs is not None and self.norm[fs:p].strip() else (None, "")

    def scan(self):
        norm = self.norm
        cands = [(m.start(), 2, m) for m in MARKER.finditer(norm)]
        if ":" in norm:  # field labels and colon headings
            cands += [(m.start(), 0, m) for m in FIELD.finditer(norm)]
            cands += [(m.start(), 1, m) for m in COLON.finditer(norm)]
        if len(norm) > 120 and len(norm.encode("utf-8")) < len(norm) * 1.2:  # a long English line: run-on headings
            cands += [(m.start(), 3, m) for m in LATIN_KIND_RE.finditer(norm)]
        cands.sort(key=lambda c: (c[0], c[1]))
        for p, typ, m in cands:
            if p >= self.cut and (self.field, self.colon, self.marker, self.latin_heading)[typ](p, m):
                self.cur = self.cut = m.end()
        if self.mode == "lead" and self.cur == self.first:
            self.doc.whole_line(self.raw[self.first :], norm[self.first :], self.next_one)
        else:  # a heading at the end of the line, just before a new list: "…交流。客服要求"
            fs, frag = self.fragment(self.end) if self.next_one else (None, "")
            kind = kind_of(frag) if fs is not None and norm[self.cur : fs].strip() else None
            if kind and heading_like(frag, "kw"):
                self.flush(fs)
                self.doc.heading(self.raw[fs : self.end], kind, inline=True)
            else:
                self.flush(len(self.raw))
        seg = norm[self.first : self.end]
        self.doc.end_line((len(seg.encode("utf-8")) + len(seg)) // 2)  # display width: CJK counts 2

    def latin_heading(self, p: int, m) -> bool:
        """A heading of English text whose line breaks were lost: Title Case words ending in a
        keyword, after a sentence end (or after a field's value), before a capitalised sentence
        or a number: "… two in management. Physical Demands Occasional travel …"."""
        norm, end = self.norm, m.end()
        after = norm[end + 1 : end + 2]
        if (
            not norm[p].isupper()
            or norm[end : end + 1] != " "
            or not (after.isupper() or after.isdigit() or after in "(-•")
        ):  # "… on time. Requirements - Two …"
            return False
        at = p
        while True:  # back over the words that modify a heading: "Essential Duties and Responsibilities"
            head = norm[self.cut : at].rstrip()
            word = head.rsplit(" ", 1)[-1]
            if not word or word.lower() not in MODIFIERS or (not word[0].isupper() and word != "and"):
                break
            at = self.cut + len(head) - len(word)
        before = norm[self.cut : at].rstrip()
        if self.mode == "item" and "bullet" in self.doc.stack:  # "… as needed Required Skills and Qualifications - …"
            words = before.split()[-5:]
            while words and not (words[0][:1].isupper() or words[0] in ("and", "&", "of")):
                words.pop(0)
            while words and not words[0][:1].isupper():
                words.pop(0)
            if len(words) >= 2 and len(words) < len(before.split()):
                at = self.cut + len(before) - len(" ".join(words))
                before = norm[self.cut : at].rstrip()
                if kind_of(norm[at:end]) and before[-1:].isalnum():
                    self.flush(at)
                    self.doc.heading(self.raw[at:end], kind_of(norm[at:end]), inline=True)
                    self.mode = "value"
                    return True
        words = before.rsplit(". ", 1)[-1].split() if "." in before else []
        if before[-1:] not in TERM and 0 < len(words) <= 4 and all(w[:1].isupper() for w in words):
            at = self.cut + len(before) - len(" ".join(words))  # "… today. Warehouse Associate Core Responsibilities"
            before = norm[self.cut : at].rstrip()
        kind = kind_of(norm[at:end])
        if not kind or not (
            before[-1:] in TERM or (self.mode == "value" and before[-1:].isalpha()) or (not before and at == self.first)
        ):  # "Summary The role …" opens the line
            return False
        self.flush(at)
        self.doc.heading(self.raw[at:end], kind, inline=True)
        self.mode = "value"
        return True

    def field(self, p: int, m) -> bool:
        prev = self.norm[p - 1]
        if (
            m.lastgroup in SHORT_FIELD
            and p > self.cut
            and not (prev.isspace() or prev in TERM)
            and self.mode != "value"
        ):
            return False  # "电商部编制:" is a heading, not the headcount field
        self.flush(p)
        self.doc.pend("field", FIELD_NAME.get(m.lastgroup, m.lastgroup))
        self.mode = "value"
        return True

    def colon(self, p: int, m) -> bool:
        """``heading:`` (keyword), ``第二篇:`` or a plain ``label:``; never the first words of an
        item ("5,负责店铺标准优化:标题优化") nor a time (18:00)."""
        norm = self.norm
        if 0 < p < len(norm) - 1 and norm[p - 1].isdigit() and norm[p + 1].isdigit():
            return False
        fs, frag = self.fragment(p)
        if fs is None or (self.mode == "item" and not norm[self.cur : fs].strip()):
            return False
        if (
            self.doc.context_ahead() == "requirements"
            and REQ_LABEL_ANY.fullmatch(frag.strip())
            and norm[m.end() :].strip()
            and not MARKER.match(norm[m.end() :].lstrip())
            and (fs == self.first or self.mode == "item")
        ):
            return False  # "学历：本科" under a requirements heading is a requirement, label and all
        kind, doc_mark = kind_of(frag), DOC.fullmatch(frag.strip())
        cell = FORM_CELL.match(norm, fs)
        if (
            cell is not None and cell.end() < p and kind_of(norm[cell.end() : p])
        ):  # "岗位分析日期1本职：": the last cell names it
            fs, frag = cell.end(), norm[cell.end() : p]
            kind = kind_of(frag)
        if kind and self.mode == "value" and fs == self.cur:  # "Reports to: Team Lead Responsibilities:"
            fs = heading_start(norm, fs, p)
            frag = norm[fs:p]
        if (
            not kind
            and not doc_mark
            and self.mode == "lead"
            and fs == self.first
            and self.doc.sec is not None
            and self.doc.sec["kind"] == "duties"
            and LABELLED_LINE.match(norm)
            and not FIELD.match(norm, fs)
            and not MARKER.match(norm, len(norm) - len(norm[m.end() :].lstrip()))
        ):
            return False  # "店铺搭建与维护：依据品牌调性规划…" under a duties heading is a duty, label and all
        if (
            (not kind or (kind == "other" and not kind_of(frag.strip()[-4:])))
            and not doc_mark
            and self.mode == "lead"
            and fs > self.first
            and norm[fs - 1] in TERM + " "
            and norm[:fs].rstrip()[-1:] in TERM
            and self.doc.sec is not None
            and self.doc.sec["kind"] == "duties"
            and LABELLED_LINE.match(norm, self.first)
            and heading_like(frag, "promo")
        ):
            self.flush(fs)  # "收集与整理: 负责…。 编制与录入: 根据…": labelled duties whose line breaks were lost
            self.doc.close_item()
            self.cur = fs
            return False
        lead_in = m.end() >= self.end and self.next_one and heading_like(frag, "lead")
        if not doc_mark and not (kind and (heading_like(frag, "kw") or lead_in)):
            if (
                not heading_like(frag, "label")
                or (self.mode == "item" and m.end() < self.end)
                or (self.mode == "lead" and fs == self.first and self.doc.open_unfinished())
            ):
                return False
            kind = None
        self.flush(fs)
        if kind:
            self.doc.heading(self.raw[fs:p], kind, inline=fs > self.first)
        else:
            self.doc.pend("doc" if doc_mark else "label", self.raw[fs:p])
        self.mode = "value"
        return True

    def marker(self, p: int, m) -> bool:
        """A marker at the line start always starts an item, inside the line see inline_marker_ok.
        A "1" right after a short heading ("职务要求(任职资格)1,…", "部门协作1. …") starts a list."""
        norm, doc = self.norm, self.doc
        fam, ordv = decode(m)
        head = fs = None
        if p == self.first:
            if (
                fam == "arabic"
                and m.group("sep") in (",", ".")
                and norm[m.end() : m.end() + 1].isdigit()
                and not (fam in doc.stack and doc.expected(fam, ordv))
            ):
                return False  # "1,000", "1.5万元"; but "2.3年以上经验" after item 1 is item 2
        else:
            ok = inline_marker_ok(doc, norm, m, fam, ordv, self.cut, self.mode == "value", self.next_marker)
            fs, frag = self.fragment(p) if ordv == 1 else (None, "")
            at_item_start = fs is not None and self.mode == "item" and not norm[self.cur : fs].strip()
            kind = kind_of(frag) if fs is not None and not at_item_start else None
            if not kind and ordv == 1 and fs is not None and fs > self.cut and norm[fs - 1].isspace():
                wider = frag_start(norm, self.cut, p, spaces=False)  # "…是什么 篇2 1.负责…": the heading has a space
                if wider is not None and wider < fs and kind_of(norm[wider:p]) and heading_like(norm[wider:p], "kw"):
                    fs, frag, kind = wider, norm[wider:p], kind_of(norm[wider:p])
            if kind and heading_like(frag, "kw"):
                ok, head = True, kind
            elif (
                not ok
                and fs is not None
                and fam != "cn"
                and fam not in doc.stack
                and norm[p - 1] not in NOT_BEFORE_LABEL
                and not norm[p - 1].isdigit()
                and not (fam == "arabic" and m.group("sep") in ",." and norm[m.end() : m.end() + 1].isdigit())
                and heading_like(frag, "label")
            ):
                ok, head = True, (None if at_item_start else "label")
            if not ok:
                return False
        self.flush(fs if head else p)
        if head == "label":
            doc.pend("label", self.raw[fs:p])
        elif head:
            doc.heading(self.raw[fs:p], head, inline=fs > self.first)
        doc.start_item(fam, ordv)
        self.mode = "item"
        return True
