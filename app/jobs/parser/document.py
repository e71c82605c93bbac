"""Assembly: the tokens of the lines become sections and items (see the package docstring)."""

from __future__ import annotations

import re

from app.jobs.parser.messages import (
    MAX_WARNINGS,
    WARN_EMPTY_HEADING,
    WARN_JUMP,
    WARN_JUMP_UNTITLED,
    WARN_MORE,
    WARN_NO_DUTIES,
    WARN_RUN_ON,
    WARN_RUN_ON_UNTITLED,
    WARN_START,
    WARN_START_UNTITLED,
)
from app.jobs.parser.patterns import (
    DONE,
    EAGER,
    FORM_CELL,
    GOES_ON,
    LATIN_SENTENCE,
    REQ_LABEL_LINE,
    REQ_LIKE,
    TERM,
    TRAIL,
    WORDY,
    clean,
    field_value,
    fold,
    heading_like,
    heading_start,
    heading_text,
    kind_match,
    kind_of,
    label,
    wide,
)

_SENTENCE_END = re.compile(r"[。！？!?]|\.(?:\s|$)").search


def _prose(text: str) -> bool:
    """Prose rather than a duty: long, with two sentences or more."""
    return len(text) > 60 and bool(_SENTENCE_END(text.rstrip("。.!?！？")))


class Doc:
    """Builds sections and items from the tokens of the lines.

    State: ``sec`` the current section; ``item`` the open item (its text pieces); ``pending`` a
    label or field waiting for its value; ``stack`` the numbering families in nesting order with
    ``last`` ordinal of each (``popped`` remembers closed levels, for lettering that goes on in a
    sibling group); ``head_fams`` the levels whose items became sub-headings; ``context`` the
    kind that headings without a keyword inherit (``scope``: what each sub-heading level inherited).

    An item taken for a sub-heading stays *tentative* (``tentative``) until its list goes on or
    ends: one that nothing came under is an item after all, put back into its section. So does
    one that has nothing directly under it (only later keyword sections) when siblings before it
    are items: "一、…；二、…；三、完成…" is a list, not three empty headings.
    """

    def __init__(self):
        self.sections, self.sec, self.item, self.pending = [], None, None, None
        self.stack, self.last, self.popped, self.head_fams = [], {}, {}, set()
        self.fam_sec, self.scope, self.context = {}, {}, "duties"
        self.tentative = []
        self.fields = {
            "title": None,
            "reports_to": None,
            "direct_reports": [],
            "department": None,
            "headcount": None,
            "purpose": None,
        }
        self.filled, self.warnings, self.warned, self.prev_width = set(), [], set(), 0
        self.hard = False  # the current line is an item of its own, never the end of a wrapped one
        self.next_marker = None  # (family, ordinal) of the marker that starts one of the next lines
        self.last_fam = None  # the numbering family of the last item that joined a section
        self.wrap_width = 36  # a line this wide without final punctuation may go on on the next one

    def warn(self, msg: str):
        if msg not in self.warned:
            self.warned.add(msg)
            self.warnings.append(msg)

    def warn_run_on(self, fam: str, ordv: int):
        """A marker out of sequence right after a sentence end was left inside the item before it."""
        name = self.sec["heading"] if self.sec else None
        self.warn((WARN_RUN_ON if name else WARN_RUN_ON_UNTITLED).format(current=label(fam, ordv), section=name))

    def expected(self, fam: str, ordv: int) -> bool:
        """Is ``ordv`` the next number of its list (or lettering going on from a sibling group)?"""
        if ordv < 1:  # "18:00，" is a time, not item 0
            return False
        if fam in self.stack:
            return ordv == self.last.get(fam, 0) + 1
        return ordv == 1 or ordv == self.popped.get(fam, -1) + 1

    def _section(self, heading, kind, implicit=False, top=False):
        self.sec = {
            "heading": heading,
            "kind": kind,
            "items": [],
            "implicit": implicit,
            "listed": False,
            "top": top,
            "fams": set(),
        }  # fams: the numbering families of its items
        self.sections.append(self.sec)
        return self.sec

    def _pop(self, keep: int):
        for f in self.stack[keep:]:
            self.popped[f] = self.last.pop(f, 0)
        del self.stack[keep:]

    def _trim(self):
        """A heading ends the lists below the nearest sub-heading level."""
        self._pop(max((i + 1 for i, f in enumerate(self.stack) if f in self.head_fams), default=0))
        self.popped.clear()

    # ------------------------------------------------------------ tentative sub-headings
    def _settle(self, level: int | None = None):
        """Decide the tentative sub-headings at list level ``level`` and deeper (all when None)."""
        keep = []
        for rec in reversed(self.tentative):  # innermost first
            if level is not None and rec["fam"] in self.stack and self.stack.index(rec["fam"]) < level:
                keep.append(rec)
                continue
            self._decide(rec)
        self.tentative = keep[::-1]

    def _decide(self, rec):
        sec = rec["sec"]
        at = next((i for i in range(len(self.sections) - 1, -1, -1) if self.sections[i] is sec), None)
        if at is None:
            return
        after = self.sections[at:]
        direct = rec["kids"]
        for s in after:
            if s["top"] and s is not sec:
                break
            direct = direct or bool(s["items"])
        anything = direct or any(s["items"] for s in after)
        if direct or (anything and rec["fam"] not in rec["parent"]["fams"]):
            return  # a heading: something came under it, and its siblings are not plain items
        self.head_fams.discard(rec["fam"])
        del self.sections[at]
        rec["parent"]["items"].append(rec["text"])
        rec["parent"]["fams"].add(rec["fam"])
        if self.sec is sec:
            self.sec = rec["parent"]
        if at == len(self.sections):  # nothing came after it: back to the kind before it
            self.context = rec["context"]

    # ------------------------------------------------------------ items
    def _close(self, fresh_next=False, cut=False):
        """Finish the open item: it becomes a (tentative) sub-heading when short and unpunctuated
        and either eager ("一、…") or followed by a new, deeper list; otherwise it joins its section."""
        it, self.item = self.item, None
        if it is None:
            return
        text, fam = clean(it["parts"]), it["fam"]
        tail = fold("".join(it["parts"]).rstrip()[-1:])
        titled = (
            fam
            and len(text) <= 30
            and kind_of(text)
            and heading_like(text, "kw")
            and self._keyword_head(text + "…" * 6) == len(text)
        )  # "1. 岗位职责" is a heading like "一、岗位职责"
        titled = titled or (
            fam not in (None, "bullet")
            and len(text) <= 60
            and text[:1].isupper()
            and heading_like(text, "kw")
            and bool(kind_of(text))
        )  # "2. Essential Skills"
        eager = (fam in EAGER or titled) and tail not in TERM + ",、"  # "一、负责运营；" is an item
        if fam in EAGER and (at := self._keyword_head(text)):  # "五、工作条件办公室工作…": lost line break
            self.heading(text[:at], kind_of(text[:at]))
            self.sec["items"].append(clean([text[at:]]))
            return
        if fam and text and (eager or fresh_next) and heading_like(text, "promo"):
            context = self.context
            self.context = self.scope.setdefault(fam, self.context)  # siblings inherit alike
            self.context = kind_of(text) or self.context
            self._section(heading_text(text), self.context)
            self.tentative.append(
                {"fam": fam, "sec": self.sec, "parent": it["sec"], "text": text, "context": context, "kids": False}
            )
            self.head_fams.add(fam)
            return
        if fam and fam != "bullet" and text[-1:] in "?？" and heading_like(text[:-1], "promo"):
            self._question(it["sec"], text)  # "1. What Does an Assistant Do?" asks, it does not list a duty
            return
        rest = self._prose_after(it, text) if cut else None
        if rest:
            text = text[: len(text) - len(rest)].rstrip()
        if WORDY(text):
            self.last_fam = fam
            if not fam and not it["sec"]["fams"] - {None}:
                it["sec"]["intro"] = it["sec"].get("intro", 0) + 1  # before any numbered item: maybe a lead-in
            if it["sec"]["kind"] == "purpose" and tail == ";":  # the purpose's paragraphs are joined into one text
                text += "".join(it["parts"]).rstrip()[-1]  # keep the "；" between its sentences
            it["sec"]["items"].append(text)
            it["sec"]["fams"].add(fam)
        self.head_fams.discard(fam)
        if rest:
            self._section(None, "other", implicit=True)["items"].append(clean([rest]))

    def _question(self, sec: dict, text: str):
        """A numbered question is a heading of no kind: an "other" item before its section's
        items (the list under it stays where it was)."""
        other = {**sec, "heading": None, "kind": "other", "items": [text], "implicit": True, "fams": set()}
        if sec["items"]:
            self.sections.append(other)
            self.sec = self._section(None, sec["kind"], sec["implicit"], sec["top"])
            for fam, own in self.fam_sec.items():
                if own is sec:
                    self.fam_sec[fam] = self.sec
        else:
            self.sections.insert(self.sections.index(sec), other)

    @staticmethod
    def _keyword_head(text: str) -> int:
        """End of a heading that starts a "一、" item and runs into its text ("工作条件办公室工作…"),
        or 0: a keyword of four characters or more with only heading words before it."""
        norm = fold(text[:16])
        m = kind_match(norm)
        if (
            m is None
            or (m[1] < 4 and norm[m[0] : m[1]] not in ("引言", "前言", "结语"))
            or m[1] + 4 >= len(text)
            or not wide(norm[0])
            or heading_start(norm, 0, m[1]) != 0
            or text[m[1]] in "，,、:：;；。"
        ):
            return 0
        return m[1]

    @staticmethod
    def _prose_after(it, text: str) -> str | None:
        """The sentences after the first one of a numbered Latin item that a heading on the same
        line cut short, when no other item of its list holds two sentences: "3. Establish … good
        business development. Department composition mainly includes …" ends at "development."."""
        if not it["fam"] or it["fam"] == "bullet" or sum(c.isascii() for c in text) * 2 <= len(text):
            return None
        m = LATIN_SENTENCE.search(text)
        if m is None or any(LATIN_SENTENCE.search(other) for other in it["sec"]["items"]):
            return None
        return text[m.end() :]

    def _resolve(self):
        """A pending ``label:`` without a value is a sub-heading; ``第二篇:`` a new document."""
        p, self.pending = self.pending, None
        if p and p[0] == "label":
            self._trim()
            self._section(heading_text(p[1]), "other" if self.context == "purpose" else self.context)
        elif p and p[0] == "doc":
            self.heading(p[1], kind_of(p[1]) or "other", new_document=True)

    def heading(self, text: str, kind: str, new_document: bool = False, inline: bool = False):
        """A keyword heading: lists below the nearest sub-heading level end; its kind is in force.
        ``inline``: it follows text on the same line (which may end the open item early)."""
        self._resolve()
        self._close(cut=inline)
        if new_document:
            self._settle()
            self.head_fams.clear()
        self._trim()
        self.scope = {f: c for f, c in self.scope.items() if f in self.stack}
        self.context = kind
        self._section(heading_text(text), kind, top="doc" if new_document else "keyword")

    def pend(self, kind: str, name: str):
        """A "label", "doc" marker or "field" waits for its value: the text after its colon."""
        self._resolve()
        self._close()
        if kind != "doc" and self.tentative:
            self.tentative[-1]["kids"] = True  # a field or label under a sub-heading belongs to it
        self.pending = (kind, name)

    def start_item(self, fam: str, ordv: int):
        self._resolve()
        fresh = fam not in self.stack
        continued = fresh and ordv == self.popped.get(fam, -1) + 1  # lettering A-D, then E-H
        self._close(fresh_next=fresh and (ordv <= 1 or continued))
        fresh = fam not in self.stack  # closing may have started a heading ("五、工作条件办公室…")
        if self.tentative:  # a sibling or an outer item ends the sub-headings at its level and below
            self._settle(len(self.stack) if fresh else self.stack.index(fam))
        sec, own = self.sec, self.fam_sec.get(fam)
        if not fresh and ordv > 1 and own is not None and own is not sec:
            sec = self._section(own["heading"], own["kind"], own["implicit"], own["top"])  # back to the outer list
        if sec is not None and sec["kind"] == "purpose":  # "职位描述" over a numbered list: duties
            sec = self._section(None if sec["items"] else sec["heading"], "duties")
            self.context = "duties"
        if sec is None or (sec["implicit"] and not sec["listed"]):
            sec = self._section(None, "duties" if self.context == "purpose" else self.context, implicit=True)
        self.sec, sec["listed"], self.fam_sec[fam] = sec, True, sec
        if fresh:
            self.stack.append(fam)
        else:
            self.head_fams.difference_update(self.stack[self.stack.index(fam) + 1 :])
            self._pop(self.stack.index(fam) + 1)
        if ordv:
            prev, name = self.last.get(fam, 0), sec["heading"]
            if prev == 0 and ordv > 1 and not continued:
                self.warn((WARN_START if name else WARN_START_UNTITLED).format(current=label(fam, ordv), section=name))
            elif prev and ordv > prev + 1:
                self.warn(
                    (WARN_JUMP if name else WARN_JUMP_UNTITLED).format(
                        previous=label(fam, prev), current=label(fam, ordv), section=name
                    )
                )
            self.last[fam] = ordv
        self.item = {"fam": fam, "parts": [], "sec": sec, "eol": False}

    def context_ahead(self) -> str:
        """The kind in force once the open item is closed: an open "七、任用资格" becomes a heading
        of its kind, so the "受教育程度：大专以上" line after it is read under that heading."""
        it = self.item
        if it is not None and it["fam"] in EAGER and it["parts"]:
            text = clean(it["parts"])
            if fold(text[-1:]) not in TERM + ",、" and heading_like(text, "promo") and (kind := kind_of(text)):
                return kind
        return self.context

    def open_unfinished(self, nxt: str = "") -> bool:
        """Does the open item look cut by a line wrap (no final punctuation, long previous line)?
        ``nxt``: the text of the new line. Latin text goes on when the new line starts in lower
        case or the item ends with a word that ends no phrase ("over", "the"); a new line in
        upper case after a complete phrase is a new item."""
        it = self.item
        if it is None or it["eol"] or not it["parts"]:
            return False
        tail = it["parts"][-1].rstrip()
        if not tail or fold(tail[-1]) in DONE:
            return False
        if it["fam"] in EAGER and heading_like(clean(it["parts"]), "promo"):
            return False
        head = nxt.lstrip()[:1]
        if head.isascii() and head.isalpha() and tail[-1].isascii() and tail[-1] not in ",-(/&":
            return head.islower() or tail.rsplit(None, 1)[-1].lower() in GOES_ON
        return (self.prev_width >= self.wrap_width and not self.hard) or tail[-1] in "、,，(（-—"

    def text(self, s: str, lead: bool):
        """Text after a cut (``lead``: at the start of a line without a marker)."""
        if not s.strip():
            return
        if self.pending:
            kind, name = self.pending
            self.pending = None
            if kind == "field":
                if name not in self.filled and (value := field_value(name, s)) is not None:
                    self.fields[name] = value  # the first value wins
                    self.filled.add(name)
            elif kind == "doc":
                self.heading(s, kind_of(s) or "other", new_document=True)
            else:  # "部门性质:网络销售,推广"
                self._section(heading_text(name), "other")
                self.item = {"fam": None, "parts": [s], "sec": self.sec, "eol": True}
            return
        labelled = self.context_ahead() == "requirements" and REQ_LABEL_LINE.match(fold(s).lstrip())
        if lead and self.item is not None and (labelled or not self.open_unfinished(s)):
            self._close()
        if self.item is None:  # a paragraph: an unnumbered item
            kind = "requirements" if labelled or (len(s.strip()) <= 60 and REQ_LIKE.search(fold(s))) else "other"
            sec = self._list_paragraph(s)
            if sec is None:
                sec = self.sec
                if (
                    sec is None
                    or sec["listed"]
                    or (sec["implicit"] and sec["kind"] != kind)
                    or FORM_CELL.fullmatch(fold(s).strip())  # "岗位编号" alone: a table's label cell, not a duty
                ):
                    sec = self._section(None, kind, implicit=True)
            self.item = {"fam": None, "parts": [], "sec": sec, "eol": False}
        self.item["parts"].append(s)

    def _list_paragraph(self, s: str) -> dict | None:
        """The section a paragraph inside a numbered list of duties or requirements belongs to, or
        None when it stands outside the list. Two layouts put paragraphs inside a list:
        - "2、采购体系建设与流程优化" then sentences: a short numbered line without final
          punctuation names a group, the sentences under it are its items (the line becomes the
          sub-heading of a section of the same kind; the list's next number goes back to the list);
        - "1、…实施。" then "分析市场趋势…。" then "2、…": a sentence between two numbers of the same
          list is an item of that list too."""
        sec = self.sec
        if sec is None or not sec["listed"] or sec["kind"] not in ("duties", "requirements") or not sec["items"]:
            return None
        t = s.strip(TRAIL + "\u3000")
        if len(t) < 6 or fold(t[-1]) not in TERM:
            return None
        last = sec["items"][-1]
        if (
            self.last_fam not in (None, "bullet")
            and fold(last[-1]) not in DONE
            and heading_like(last, "promo")
            and not kind_of(last)
        ):
            sec["items"].pop()
            return self._section(heading_text(last), sec["kind"])
        nm = self.next_marker
        if nm is not None and nm[0] in self.stack and nm[0] in sec["fams"] and self.expected(*nm):
            return sec
        return None

    def close_item(self):
        """End the open item here: the rest of the line starts another."""
        self._close()

    def whole_line(self, raw: str, norm: str, next_one: bool):
        t = norm.strip()
        sentence = (len(t) > 8 and t.endswith("。")) or (t.endswith(".") and len(t.split()) > 3)
        kind = kind_of(t) if len(t) <= 80 and not sentence else None
        if kind and heading_like(t, "kw") and (next_one or not self.open_unfinished(raw)):
            self.heading(raw, kind)
        else:
            self.text(raw, lead=True)

    def end_line(self, width: int, close: bool = False):
        self._resolve()  # a label without a value is a sub-heading; a field without one is dropped
        if self.item is not None and (close or self.item["eol"]):
            self._close()
        self.prev_width = width

    def result(self, title: str | None = None) -> dict:
        """The structure found; ``title``: the one the first lines name, used when no field does."""
        self._resolve()
        self._close()
        self._settle()
        last = max((i for i, s in enumerate(self.sections) if s["items"]), default=-1)
        for i, s in enumerate(self.sections):
            following = self.sections[i + 1] if i + 1 < len(self.sections) else None
            if (
                s["heading"]
                and not s["items"]
                and (
                    i > last
                    or (
                        s["top"] == "keyword"
                        and following is not None
                        and following["top"]
                        and s["kind"] != "purpose"
                        and following["kind"] != s["kind"]
                    )
                )
            ):
                self.warn(WARN_EMPTY_HEADING.format(heading=s["heading"]))
            if s["kind"] == "purpose" and s["items"]:  # the paragraphs under "岗位目的" / "Job Summary"
                if self.fields["purpose"] is None:
                    self.fields["purpose"] = clean(s["items"])
                    s["items"] = []
                else:
                    s["kind"] = "other"
        sections = []
        for i, s in enumerate(self.sections):
            intro = s.get("intro", 0) if s["kind"] in ("duties", "requirements") and s["fams"] - {None} else 0
            nxt = self.sections[i + 1] if i + 1 < len(self.sections) else None
            if (
                s["kind"] == "duties"
                and s["fams"] <= {None}
                and len(s["items"]) == 1
                and nxt is not None
                and nxt["kind"] == "duties"
                and nxt["heading"]
                and nxt["fams"] - {None}
                and _prose(s["items"][0])
            ):
                s["kind"] = "other"  # prose under "【…工作内容】" before the heading that opens the list
            if (
                s["kind"] in ("duties", "requirements")
                and s["heading"]
                and len(s["items"]) == 1
                and s["fams"] <= {None}
                and nxt is not None
                and nxt["kind"] == s["kind"]
                and nxt["heading"]
                and nxt["fams"] - {None}
                and fold(s["items"][0][-1]) not in DONE
                and heading_like(s["items"][0], "promo")
            ):
                s["kind"] = "other"  # "General Responsibility: To supervise staff" names the numbered group under it
            if intro and intro < len(s["items"]):  # prose before the list: "…主要包括以下几个方面：" then 1. 2. 3.
                sections.append({"heading": s["heading"], "kind": "other", "items": s["items"][:intro]})
                s["items"] = s["items"][intro:]
            if s["items"]:
                sections.append({"heading": s["heading"], "kind": s["kind"], "items": s["items"]})
        duties = [i for s in sections if s["kind"] == "duties" for i in s["items"]]
        if not duties:
            self.warn(WARN_NO_DUTIES)
        warnings = self.warnings[:MAX_WARNINGS]
        if len(self.warnings) > MAX_WARNINGS:
            warnings.append(WARN_MORE.format(count=len(self.warnings) - MAX_WARNINGS))
        fields = dict(self.fields)
        return {
            "title": fields.pop("title") or title,
            "fields": fields,
            "sections": sections,
            "duties": duties,
            "requirements": [i for s in sections if s["kind"] == "requirements" for i in s["items"]],
            "warnings": warnings,
        }
