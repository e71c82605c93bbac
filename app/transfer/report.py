"""What an import did or would do, row by row: the report of a preview or of an applied import."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTIONS = (CREATE, UPDATE, UNCHANGED, ERROR)
ORDER = ("departments", "positions", "employees", "assignments")


# --- the report ------------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    key: str
    action: str = UNCHANGED
    changes: dict = field(default_factory=dict)  # column: [before, after] (before is None on create)
    errors: list = field(default_factory=list)  # [column or "", message]


@dataclass
class SheetReport:
    kind: str
    title: str
    columns: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # [column or "", message] about the sheet as a whole
    rows: list = field(default_factory=list)  # RowResult, in file order


@dataclass
class Report:
    filename: str
    kind: str
    problems: list = field(default_factory=list)  # messages about the file as a whole
    sheets: list = field(default_factory=list)  # SheetReport
    applied: bool = False
    stale: bool = False  # applying found other results than the preview

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for sheet in self.sheets:
            for row in sheet.rows:
                counts[row.action] += 1
        return counts

    @property
    def problem_count(self) -> int:
        return (
            len(self.problems)
            + sum(len(s.problems) for s in self.sheets)
            + sum(len(r.errors) for s in self.sheets for r in s.rows)
        )

    @property
    def valid(self) -> bool:
        return self.problem_count == 0 and any(s.rows for s in self.sheets)

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        return bool(counts[CREATE] or counts[UPDATE])

    @property
    def digest(self) -> str:
        """What applying would do, as a hash: the confirm step must find the same."""
        content = [[s.kind, [[r.row, r.key, r.action, r.changes] for r in s.rows]] for s in self.sheets]
        return hashlib.sha256(
            json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        ).hexdigest()

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        sheets = [SheetReport(**{**s, "rows": [RowResult(**r) for r in s["rows"]]}) for s in data["sheets"]]
        return cls(**{**data, "sheets": sheets})
