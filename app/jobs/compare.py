"""Side-by-side comparison of two job-description versions: added, removed and changed duties,
requirements, KPI targets and competencies, and changed texts (purpose, authority …).

Duties and requirements are aligned as sequences (difflib) on their normalised text; inside a
replaced block, items are paired with the most similar one when they are alike enough to be the
same item edited, else shown as removed and added. KPI targets are matched by KPI and period,
competencies by competency, and compared on their values (numbers as numbers) and on the labels
each version keeps; numbers are shown in full, grouped as on the version page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.formatting import number
from app.extensions import db
from app.jobs.content import TEXT_FIELDS, version_document
from app.jobs.lint import normalise
from app.jobs.models import Competency, Frequency, Kpi, Period, RequirementKind

PAIR = 0.5  # two items at least this similar are one item, edited


@dataclass
class Row:
    status: str  # same, added, removed, changed, moved
    old: str | None = None
    new: str | None = None
    old_meta: str = ""
    new_meta: str = ""
    group: str = ""  # section heading (duties) or kind (requirements)


@dataclass
class FieldChange:
    name: str
    old: str
    new: str


@dataclass
class Comparison:
    title: FieldChange | None
    fields: list[FieldChange]
    duties: list[Row]
    requirements: list[Row]
    kpis: list[Row]
    competencies: list[Row]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return not (
            self.title
            or self.fields
            or any(r.status != "same" for r in self.duties + self.requirements + self.kpis + self.competencies)
        )


def _number(value) -> str:
    """In full with the locale's grouping, as the version page shows it: 12,345,678 and 0.985."""
    return "" if value is None else number(value)


def _duty_meta(duty: dict) -> str:
    parts = []
    if duty.get("frequency") in Frequency.values():
        parts.append(Frequency(duty["frequency"]).label)
    if duty.get("standard"):
        parts.append(duty["standard"])
    if duty.get("weight") is not None:
        parts.append(f"{_number(duty['weight'])}%")
    return " · ".join(parts)


def _requirement_meta(req: dict) -> str:
    kind = RequirementKind(req["kind"]).label if req["kind"] in RequirementKind.values() else req["kind"]
    return f"{kind} · {_('required') if req['required'] else _('preferred')}"


def _align(old: list[tuple[str, str, str]], new: list[tuple[str, str, str]]) -> list[Row]:
    """Rows for two sequences of (text, meta, group)."""
    keys_old = [normalise(text) for text, _meta, _group in old]
    keys_new = [normalise(text) for text, _meta, _group in new]
    rows: list[Row] = []
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                status = "same" if (a[1], a[2]) == (b[1], b[2]) else "changed"
                rows.append(Row(status, a[0], b[0], a[1], b[1], b[2]))
            continue
        rows.extend(_pair(old[i1:i2], keys_old[i1:i2], new[j1:j2], keys_new[j1:j2]))
    return _moves(rows)


def _moves(rows: list[Row]) -> list[Row]:
    """An item removed in one place and added in another was moved (unchanged) or moved and
    edited (similar enough): one row, in its new place, instead of a removal and an addition."""
    removed: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.status == "removed":
            removed.setdefault(normalise(row.old), []).append(index)
    if not removed:
        return rows
    dropped: set[int] = set()

    def take(row: Row, index: int, status: str) -> None:
        row.status, row.old, row.old_meta = status, rows[index].old, rows[index].old_meta
        dropped.add(index)

    for row in rows:
        if row.status == "added" and removed.get(normalise(row.new)):
            take(row, removed[normalise(row.new)].pop(0), "moved")
    left = [index for indexes in removed.values() for index in indexes]
    for row in rows:
        if row.status != "added" or not left:
            continue
        key, best, best_ratio = normalise(row.new), None, PAIR
        for index in left:
            matcher = SequenceMatcher(None, normalise(rows[index].old), key, autojunk=False)
            if (
                matcher.real_quick_ratio() >= best_ratio
                and matcher.quick_ratio() >= best_ratio
                and (ratio := matcher.ratio()) >= best_ratio
            ):
                best, best_ratio = index, ratio
        if best is not None:
            left.remove(best)
            take(row, best, "changed")
    return [row for index, row in enumerate(rows) if index not in dropped]


def _pair(old, keys_old, new, keys_new) -> list[Row]:
    """Inside a replaced block: edited items side by side, the rest removed or added, in order."""
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for i, key in enumerate(keys_old):
        best, best_ratio = None, PAIR
        for j, other in enumerate(keys_new):
            if j in taken:
                continue
            matcher = SequenceMatcher(None, key, other, autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            partner[i] = best
            taken.add(best)
    rows: list[Row] = []
    j = 0
    for i, item in enumerate(old):
        if i in partner:
            while j < partner[i]:
                if j not in taken:
                    rows.append(Row("added", None, new[j][0], "", new[j][1], new[j][2]))
                j += 1
            b = new[partner[i]]
            rows.append(Row("changed", item[0], b[0], item[1], b[1], b[2]))
            j = max(j, partner[i] + 1)
        else:
            rows.append(Row("removed", item[0], None, item[1], "", item[2]))
    for k in range(j, len(new)):
        if k not in taken:
            rows.append(Row("added", None, new[k][0], "", new[k][1], new[k][2]))
    return rows


def _keyed(old: dict, new: dict, describe, fields: tuple[str, ...]) -> list[Row]:
    """Rows matched by key; a pair is the same when the values of ``fields`` are equal (the
    numbers themselves, not their display: 12,345,678 and 12,345,700 differ)."""
    rows = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        if a is None:
            rows.append(Row("added", None, describe(b)[0], "", describe(b)[1]))
        elif b is None:
            rows.append(Row("removed", describe(a)[0], None, describe(a)[1], ""))
        else:
            (name_a, meta_a), (name_b, meta_b) = describe(a), describe(b)
            same = all(a.get(name) == b.get(name) for name in fields)
            rows.append(Row("same" if same else "changed", name_a, name_b, meta_a, meta_b))
    return rows


def compare_contents(
    old: dict, new: dict, kpi_names: dict | None = None, competency_names: dict | None = None
) -> Comparison:
    """Compare two contents (see ``app.jobs.content``). KPIs and competencies are named by the
    rows' own "name" (``version_document``: what each version shows), else by ``kpi_names`` and
    ``competency_names``, else from the libraries in two queries."""
    kpi_names = (
        kpi_names
        if kpi_names is not None
        else _names(Kpi, [t for t in old["kpis"] + new["kpis"] if "name" not in t], "kpi_id")
    )
    competency_names = (
        competency_names
        if competency_names is not None
        else _names(
            Competency, [c for c in old["competencies"] + new["competencies"] if "name" not in c], "competency_id"
        )
    )

    def duties(content):
        return [(d["text"], _duty_meta(d), s["heading"]) for s in content["sections"] for d in s["duties"]]

    def requirements(content):
        return [(r["text"], _requirement_meta(r), "") for r in content["requirements"]]

    def kpi(target):
        name = target.get("name") or kpi_names.get(target["kpi_id"], "?")
        meta = _(
            "target %(target)s, threshold %(threshold)s, stretch %(stretch)s, weight %(weight)s%%",
            target=_number(target["target"]),
            threshold=_number(target["threshold"]) or "—",
            stretch=_number(target["stretch"]) or "—",
            weight=_number(target["weight"]),
        )
        period = Period(target["period"]).label if target["period"] in Period.values() else target["period"]
        unit = f"{target['unit']}, " if target.get("unit") else ""
        return f"{name} ({unit}{period})", meta + (f" · {target['note']}" if target.get("note") else "")

    def competency(row):
        name = row.get("name") or competency_names.get(row["competency_id"], "?")
        meta = _("level %(num)d", num=row["level"])
        return name, meta + (f" · {row['level_description']}" if row.get("level_description") else "")

    title = FieldChange("title", old["title"], new["title"]) if old["title"] != new["title"] else None
    fields = [FieldChange(name, old[name], new[name]) for name in TEXT_FIELDS if old[name] != new[name]]
    comparison = Comparison(
        title,
        fields,
        _align(duties(old), duties(new)),
        _align(requirements(old), requirements(new)),
        _keyed(
            {(t["kpi_id"], t["period"]): t for t in old["kpis"]},
            {(t["kpi_id"], t["period"]): t for t in new["kpis"]},
            kpi,
            ("target", "threshold", "stretch", "weight", "note", "name", "unit"),
        ),
        _keyed(
            {c["competency_id"]: c for c in old["competencies"]},
            {c["competency_id"]: c for c in new["competencies"]},
            competency,
            ("level", "name", "level_description"),
        ),
    )
    for rows in (comparison.duties, comparison.requirements, comparison.kpis, comparison.competencies):
        for row in rows:
            comparison.counts[row.status] = comparison.counts.get(row.status, 0) + 1
    return comparison


def compare_versions(old, new) -> Comparison:
    """Compare two versions (content loaded) as each shows itself, labels included."""
    return compare_contents(version_document(old), version_document(new), {}, {})


def _names(model, rows: list[dict], key: str) -> dict[int, str]:
    ids = {row[key] for row in rows}
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())
