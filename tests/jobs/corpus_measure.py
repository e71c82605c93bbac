"""Accuracy of the job-description parser on a corpus of documents with hand-checked expectations.

A corpus is a folder of ``NAME.txt`` (the document as the parser receives it: pasted text, or the
plain text of an uploaded file with table rows as TAB-separated cells) and ``NAME.json`` (what a
careful reader finds in it)::

    {"title": str|null, "fields": {"department", "reports_to", "direct_reports", "headcount"},
     "purpose": str|null, "duties": [str], "requirements": [str], "kpis": [str] (optional),
     "oneline": bool (optional: the text with its line breaks removed must parse as well),
     "source": "path/of/the/text" (optional, relative to the repository: instead of NAME.txt)}

An item is right when its text equals an expected one after whitespace normalisation (runs of
white space are one space; none next to a CJK character). Used by ``bench/bench_parser.py`` (which
prints the figures) and ``tests/jobs/test_parser_corpus.py`` (which asserts the thresholds).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.jobs.parser import parse_job_description

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
FIELDS = ("department", "reports_to", "direct_reports", "headcount")
_WS = re.compile(r"\s+")
_CJK_WS = re.compile(r"(?<=[\u2e80-\U0010ffff])\s+|\s+(?=[\u2e80-\U0010ffff])")


def norm(text) -> str | None:
    if text is None:
        return None
    return _WS.sub(" ", _CJK_WS.sub("", str(text))).strip()


def flatten(text: str) -> str:
    """``text`` as a document whose line breaks were lost: lines joined with nothing between two
    CJK characters, one space otherwise (table rows are left alone: their layout is the point)."""
    out = ""
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        if out and not (out[-1] >= "\u2e80" and line[0] >= "\u2e80"):
            out += " "
        out += line
    return out


@dataclass
class Doc:
    name: str
    text: str
    expected: dict


def load(folder: Path = CORPUS) -> list[Doc]:
    docs = []
    for path in sorted(folder.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        source = ROOT / expected["source"] if expected.get("source") else path.with_suffix(".txt")
        docs.append(Doc(path.stem, source.read_text(encoding="utf-8"), expected))
    return docs


@dataclass
class Counts:
    right: int = 0
    found: int = 0
    expected: int = 0

    def add(self, found: list[str], expected: list[str]):
        f, e = Counter(map(norm, found)), Counter(map(norm, expected))
        self.right += sum((f & e).values())
        self.found += sum(f.values())
        self.expected += sum(e.values())

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Counts):
        self.right += other.right
        self.found += other.found
        self.expected += other.expected
        return self


@dataclass
class Score:
    name: str
    title: bool
    fields: tuple[int, int]  # (right, out of)
    purpose: bool
    duties: Counts = field(default_factory=Counts)
    requirements: Counts = field(default_factory=Counts)
    kpis: Counts = field(default_factory=Counts)
    missed: dict = field(default_factory=dict)  # what went wrong, for the report

    @property
    def exact(self) -> bool:
        return (
            self.title
            and self.fields[0] == self.fields[1]
            and self.purpose
            and all(c.right == c.found == c.expected for c in (self.duties, self.requirements, self.kpis))
        )


def score(name: str, result: dict, expected: dict) -> Score:
    fields = expected.get("fields", {})
    found_fields = result["fields"]
    right_fields = [k for k in FIELDS if k in fields and _same(found_fields.get(k), fields[k])]
    s = Score(
        name,
        norm(result["title"]) == norm(expected.get("title")),
        (len(right_fields), len(fields)),
        norm(found_fields.get("purpose")) == norm(expected.get("purpose")),
    )
    kpis = [i for sec in result["sections"] if sec["kind"] == "kpis" for i in sec["items"]]
    s.duties.add(result["duties"], expected.get("duties", []))
    s.requirements.add(result["requirements"], expected.get("requirements", []))
    if "kpis" in expected:
        s.kpis.add(kpis, expected["kpis"])
    if not s.title:
        s.missed["title"] = (result["title"], expected.get("title"))
    if not s.purpose:
        s.missed["purpose"] = (found_fields.get("purpose"), expected.get("purpose"))
    for k in FIELDS:
        if k in fields and k not in right_fields:
            s.missed[k] = (found_fields.get(k), fields[k])
    for key, found in (("duties", result["duties"]), ("requirements", result["requirements"]), ("kpis", kpis)):
        if key in expected:
            f, e = Counter(map(norm, found)), Counter(map(norm, expected[key]))
            if f != e:
                s.missed[key] = {"extra": list((f - e).elements()), "missing": list((e - f).elements())}
    return s


def _same(found, expected) -> bool:
    if isinstance(expected, list):
        return [norm(x) for x in found or []] == [norm(x) for x in expected]
    if isinstance(expected, int) or expected is None:
        return found == expected
    return norm(found) == norm(expected)


def measure(docs: list[Doc], oneline: bool = False) -> list[Score]:
    """Scores of every document (``oneline``: only those marked so, with their line breaks removed)."""
    scores = []
    for d in docs:
        if oneline and not d.expected.get("oneline"):
            continue
        scores.append(score(d.name, parse_job_description(flatten(d.text) if oneline else d.text), d.expected))
    return scores


def totals(scores: list[Score]) -> dict:
    duties, requirements, kpis = Counts(), Counts(), Counts()
    for s in scores:
        duties += s.duties
        requirements += s.requirements
        kpis += s.kpis
    return {
        "documents": len(scores),
        "exact": sum(s.exact for s in scores),
        "title": sum(s.title for s in scores),
        "purpose": sum(s.purpose for s in scores),
        "fields": (sum(s.fields[0] for s in scores), sum(s.fields[1] for s in scores)),
        "duties": duties,
        "requirements": requirements,
        "kpis": kpis,
    }
