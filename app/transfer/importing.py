"""Running an import through the organisation's services, rows in dependency order (see
``app.transfer.services`` for the whole story)."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.errors import ServiceError
from app.db import begin_transaction
from app.extensions import db
from app.org import services as org
from app.org.models import Assignment, Department, Employee, EmployeeStatus, Position
from app.transfer.parsing import ParsedRow, ParsedSheet, parse_book
from app.transfer.reader import RawBook
from app.transfer.records import current_records
from app.transfer.report import CREATE, ERROR, UPDATE, Report, RowResult, SheetReport
from app.transfer.spec import DEFAULTS, KINDS, display

log = logging.getLogger(__name__)


def _topological(rows: list[ParsedRow], superior) -> tuple[list[ParsedRow], dict[tuple, list]]:
    """``rows`` with each row after its superior (when that is in ``rows`` too), and the loops
    found: {key: [keys around the loop]}."""
    index = {row.key: row for row in rows}
    done: set = set()
    order, loops = [], {}
    for row in rows:
        path, seen, key = [], {}, row.key
        while key is not None and key in index and key not in done:
            if key in seen:
                loop = path[seen[key] :] + [key]
                for member in loop:
                    loops[member] = loop
                break
            seen[key] = len(path)
            path.append(key)
            key = superior(index[key])
        for key in reversed(path):
            if key not in done:
                done.add(key)
                order.append(index[key])
    return order, loops


class _Refs:
    """Resolves codes to ids for one row, collecting every unknown reference before raising."""

    def __init__(self, run: _Run):
        self.run = run
        self.errors: dict[str, list[str]] = {}

    def get(self, target: str, code: str, column: str):
        if not code:
            return None
        found = self.run.lookup(target, code)
        if found is None:
            self.errors.setdefault(column, []).append(self.run.missing_message(target, code))
        return found

    def check(self) -> None:
        if self.errors:
            raise ServiceError(next(iter(self.errors.values()))[0], self.errors)


class _Stopped(Exception):
    """A row was refused while applying without savepoints: nothing more can be trusted."""


class _Run:
    MODELS = {
        "departments": (Department, Department.code),
        "positions": (Position, Position.code),
        "employees": (Employee, Employee.employee_no),
        "users": (User, User.email),
    }

    def __init__(self, sheets: list[ParsedSheet], report: Report, isolate: bool = True):
        self.isolate = isolate
        self.sheets = {sheet.kind: sheet for sheet in sheets}
        self.report = report
        self.results: dict[tuple[str, int], RowResult] = {}
        self.ids: dict[str, dict[str, int]] = {target: {} for target in self.MODELS}
        self.rows_by_code: dict[str, dict[str, ParsedRow]] = {}
        self.failed: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self.current: dict[str, dict] = {}
        self.pending: list = []  # second-pass work: (kind, row)
        self.loaded: dict[tuple, object] = {}  # objects held for the rows of one phase
        for sheet in sheets:
            report.sheets.append(SheetReport(sheet.kind, sheet.title, sheet.columns, sheet.problems))
            keys = {}
            for row in sheet.rows:
                if row.key is None:
                    continue
                result = RowResult(row.number, row.label)
                report.sheets[-1].rows.append(result)
                self.results[(sheet.kind, row.number)] = result
                if len(sheet.spec.key_fields) == 1:
                    keys.setdefault(row.key[0], row)
                if row.errors:
                    self._fail(sheet.kind, row, row.errors)
            self.rows_by_code[sheet.kind] = keys

    # -- references --

    def lookup(self, target: str, code: str) -> int | None:
        cache = self.ids[target]
        if code not in cache:
            self.preload(target, [code])
        return cache.get(code)

    def preload(self, target: str, codes) -> None:
        model, column = self.MODELS[target]
        cache = self.ids[target]
        wanted = sorted({c for c in codes if c and c not in cache})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            cache.update(dict.fromkeys(chunk))
            cache.update(db.session.execute(select(column, model.id).where(column.in_(chunk))).all())

    def missing_message(self, target: str, code: str) -> str:
        row = self.rows_by_code.get(target, {}).get(code)
        if row is not None and code in self.failed[target]:
            return _("“%(code)s” cannot be used: its own row (%(row)d) has a problem.", code=code, row=row.number)
        return {
            "departments": _("No department has the code “%(code)s”.", code=code),
            "positions": _("No position has the code “%(code)s”.", code=code),
            "employees": _("No employee has the number “%(code)s”.", code=code),
            "users": _("No user account has the e-mail “%(code)s”.", code=code),
        }[target]

    # -- rows --

    def _fail(self, kind: str, row: ParsedRow, errors: list) -> None:
        result = self.results[(kind, row.number)]
        result.action = ERROR
        result.errors.extend(errors)
        if row.key is not None and len(row.key) == 1 and row.key[0]:
            self.failed[kind].add(row.key[0])

    def _errors_of(self, kind: str, error: ServiceError) -> list:
        found = []
        for name, messages in error.errors.items():
            found.extend([KINDS[kind].column_of(name), str(m)] for m in messages)
        return found or [["", error.message]]

    def _save(self, kind: str, row: ParsedRow, work) -> None:
        """Run ``work``; a refusal becomes the row's problems. With ``isolate`` each row runs in
        a savepoint, so that the next rows are checked against a clean state; without, the first
        refusal stops the run (faster, for applying what a preview already checked)."""
        try:
            if self.isolate:
                with db.session.begin_nested():
                    work()
            else:
                work()
            return
        except ServiceError as error:
            self._fail(kind, row, self._errors_of(kind, error))
        except SQLAlchemyError:
            log.exception("import: the database refused row %s of %s", row.number, kind)
            self._fail(kind, row, [["", _("The database refused this row.")]])
        if not self.isolate:
            raise _Stopped

    def _changes(self, kind: str, current: dict | None, values: dict) -> dict:
        if current is None:
            return {k: [None, display(v)] for k, v in values.items() if v not in ("", (), None)}
        keys = KINDS[kind].key_fields
        return {k: [display(current[k]), display(v)] for k, v in values.items() if k not in keys and current[k] != v}

    def _rows(self, kind: str) -> list[ParsedRow]:
        sheet = self.sheets.get(kind)
        return [row for row in sheet.rows if row.key is not None] if sheet else []

    def _load_current(self, kind: str, rows: list[ParsedRow]) -> dict:
        current = current_records(kind, [row.key for row in rows if not row.errors])
        self.current[kind] = current
        return current

    def _start(self, kind: str, row: ParsedRow, current: dict | None, deferred: set = frozenset()):
        """The row's result with its action and changes; whether the first pass must save it."""
        result = self.results[(kind, row.number)]
        result.changes = self._changes(kind, current, row.values)
        if current is not None and not result.changes:
            return result, False
        result.action = UPDATE if current is not None else CREATE
        return result, current is None or bool(set(result.changes) - deferred)

    def _first_pass(self, kind: str, row: ParsedRow, record: dict | None, deferred: set, save) -> None:
        """Save the row now (leaving out the ``deferred`` columns, which refer to rows not created
        yet) if it is new or changes other columns; queue it for the second pass if it changes a
        deferred one."""
        result, save_now = self._start(kind, row, record, deferred)
        if save_now:
            self._save(kind, row, lambda: save(row, record, deferred))
        if deferred & set(result.changes):
            self.pending.append((kind, row))

    def _values(self, kind: str, row: ParsedRow, merged: dict) -> dict:
        """The row's values as the services take them (``PositionData``'s fields): the codes of
        other records looked up, every unknown one reported at once."""
        spec, refs, values = KINDS[kind], _Refs(self), {}
        for f in spec.entity.fields if spec.entity else ():
            value = merged[f.column]
            if f.kind == "ref":
                value = refs.get(f.target, value, f.column)
            elif f.kind == "refs":
                value = [refs.get(f.target, code, f.column) for code in value]
            elif f.kind in ("lines", "pairs"):
                value = list(value)
            values[f.name] = value
        refs.check()
        return {**values, spec.key_fields[0]: row.key[0]}

    @staticmethod
    def _merged(kind: str, row: ParsedRow, record: dict | None, deferred=frozenset()) -> dict:
        """The row's values over the current ones (or the defaults); deferred columns as they are."""
        merged = {**DEFAULTS[kind], **(record or {}), **row.values}
        for column in deferred:
            merged[column] = (record or DEFAULTS[kind])[column]
        return merged

    # -- departments --

    def departments(self) -> None:
        rows = self._rows("departments")
        self.preload("departments", [r.key[0] for r in rows] + [r.values.get("parent_code") for r in rows])
        self.preload("positions", [r.values.get("head_position_code") for r in rows])
        current = self._load_current("departments", rows)
        in_file = {r.key[0]: r for r in rows}

        def parent(row):
            code = (
                row.values.get("parent_code")
                if "parent_code" in row.values
                else (current.get(row.key) or {}).get("parent_code")
            )
            return (code,) if code and code in in_file else None

        order, loops = _topological([r for r in rows if not r.errors], parent)
        for key, loop in loops.items():
            self._fail(
                "departments",
                in_file[key[0]],
                [
                    [
                        "parent_code",
                        _(
                            "These departments would be inside each other: %(loop)s.",
                            loop=" → ".join(k[0] for k in loop),
                        ),
                    ]
                ],
            )
        position_codes = set(self.rows_by_code.get("positions", {}))
        names = {}
        for place, row in enumerate(order):
            names[row.key[0]] = place
            if row.values.get("name"):
                names[row.values["name"]] = place
        for place, row in enumerate(order):
            if row.key[0] in self.failed["departments"]:
                continue
            deferred = set()
            if row.values.get("head_position_code") in position_codes:
                deferred.add("head_position_code")
            if any(names.get(partner, -1) > place for partner, _duty in row.values.get("collaborations", ())):
                deferred.add("collaborations")
            self._first_pass("departments", row, current.get(row.key), deferred, self._save_department)

    def _save_department(self, row: ParsedRow, record: dict | None, deferred=frozenset()) -> None:
        data = org.DepartmentData(
            **self._values("departments", row, self._merged("departments", row, record, deferred))
        )
        if self.ids["departments"].get(row.key[0]):
            department = db.session.get(Department, self.ids["departments"][row.key[0]])
            org.update_department(department, data, seen_version=None)
        else:
            self.ids["departments"][row.key[0]] = org.create_department(data).id

    # -- positions --

    def positions(self) -> None:
        rows = self._rows("positions")
        codes = [r.key[0] for r in rows]
        for r in rows:
            codes += [
                r.values.get("reports_to_code"),
                r.values.get("acting_position_code"),
                *r.values.get("dotted_line_codes", ()),
            ]
        self.preload("positions", codes)
        self.preload("departments", [r.values.get("department_code") for r in rows])
        current = self._load_current("positions", rows)
        in_file = {r.key[0]: r for r in rows}

        def superior_code(row):
            if "reports_to_code" in row.values:
                return row.values["reports_to_code"]
            return (current.get(row.key) or {}).get("reports_to_code", "")

        for row in rows:  # a dotted line to the direct superior is the direct line: the services drop it
            if "dotted_line_codes" in row.values:
                row.values["dotted_line_codes"] = tuple(
                    c for c in row.values["dotted_line_codes"] if c != superior_code(row)
                )

        def superior(row):
            code = superior_code(row)
            return (code,) if code and code in in_file else None

        order, loops = _topological([r for r in rows if not r.errors], superior)
        for key, loop in loops.items():
            self._fail(
                "positions",
                in_file[key[0]],
                [
                    [
                        "reports_to_code",
                        _("This reporting line would create a loop: %(loop)s.", loop=" → ".join(k[0] for k in loop)),
                    ]
                ],
            )
        place = {row.key[0]: i for i, row in enumerate(order)}
        for i, row in enumerate(order):
            if row.key[0] in self.failed["positions"]:
                continue
            later = lambda code: code in place and place[code] >= i  # noqa: E731 (not created yet, or itself)
            deferred = set()
            if later(row.values.get("acting_position_code", "")):
                deferred.add("acting_position_code")
            if any(later(code) for code in row.values.get("dotted_line_codes", ())):
                deferred.add("dotted_line_codes")
            self._first_pass("positions", row, current.get(row.key), deferred, self._save_position)

    def _save_position(self, row: ParsedRow, record: dict | None, deferred=frozenset()) -> None:
        data = org.PositionData(**self._values("positions", row, self._merged("positions", row, record, deferred)))
        if self.ids["positions"].get(row.key[0]):
            org.update_position(db.session.get(Position, self.ids["positions"][row.key[0]]), data, seen_version=None)
        else:
            self.ids["positions"][row.key[0]] = org.create_position(data).id

    # -- second pass --

    def finish(self) -> None:
        saves = {
            "departments": self._save_department,
            "positions": self._save_position,
            "employees": self._save_employee,
        }
        pending, self.pending = self.pending, []
        for kind, row in pending:
            if row.key[0] in self.failed[kind]:
                continue
            record = self.current[kind].get(row.key)
            self._save(kind, row, lambda: saves[kind](row, record))

    # -- employees --

    def employees(self) -> None:
        rows = self._rows("employees")
        self.preload("employees", [r.key[0] for r in rows])
        self.preload("users", [r.values.get("user_email") for r in rows])
        current = self._load_current("employees", rows)
        for row in rows:
            if row.errors:
                continue
            record = current.get(row.key)
            # Someone marked as left may not hold a post after today: their assignments of the same
            # file are ended first, and the status is set in the second pass.
            left = EmployeeStatus.LEFT.value
            leaves = record is not None and record["status"] != left and row.values.get("status") == left
            self._first_pass("employees", row, record, {"status"} if leaves else frozenset(), self._save_employee)

    def _save_employee(self, row: ParsedRow, record: dict | None, deferred=frozenset()) -> None:
        data = org.EmployeeData(**self._values("employees", row, self._merged("employees", row, record, deferred)))
        if record is not None:
            org.update_employee(db.session.get(Employee, record["_id"]), data, seen_version=None)
        else:
            self.ids["employees"][row.key[0]] = org.create_employee(data).id

    # -- assignments --

    def assignments(self) -> None:
        rows = self._rows("assignments")
        self.preload("employees", [r.key[0] for r in rows])
        self.preload("positions", [r.key[1] for r in rows])
        current = self._load_current("assignments", rows)
        work = []
        # changes to existing assignments first: ending one makes room for the next
        for row in sorted((r for r in rows if not r.errors), key=lambda r: r.key not in current):
            record = current.get(row.key)
            _result, save_now = self._start("assignments", row, record)
            if save_now:
                work.append((row, record))
        # The employees with their assignments (the overlap rule reads them) and the positions,
        # a chunk per query and held here, instead of a few queries per row.
        self._hold(
            Employee,
            [self.ids["employees"].get(row.key[0]) for row, _record in work],
            selectinload(Employee.assignments),
        )
        self._hold(Position, [self.ids["positions"].get(row.key[1]) for row, _record in work])
        for row, record in work:
            self._save("assignments", row, lambda: self._save_assignment(row, record))

    def _hold(self, model, ids, *options) -> None:
        ids = sorted(set(ids) - {None})
        for start in range(0, len(ids), 500):
            self.loaded.update(
                {
                    (model, obj.id): obj
                    for obj in db.session.scalars(
                        select(model).where(model.id.in_(ids[start : start + 500])).options(*options)
                    )
                }
            )

    def _save_assignment(self, row: ParsedRow, record: dict | None) -> None:
        merged = self._merged("assignments", row, record)
        if record is not None:
            org.update_assignment(db.session.get(Assignment, record["_id"]), merged["end_date"], merged["is_primary"])
            return
        refs = _Refs(self)
        employee_id = refs.get("employees", row.key[0], "employee_no")
        position_id = refs.get("positions", row.key[1], "position_code")
        refs.check()
        employee = self.loaded.get((Employee, employee_id)) or db.session.get(Employee, employee_id)
        org.assign(employee, position_id, row.key[2], merged["end_date"], merged["is_primary"])

    def run(self) -> None:
        self.departments()
        self.positions()
        self.finish()
        self.employees()
        self.assignments()
        self.finish()


def run_import(
    raw: RawBook, kind: str, apply: bool = False, expected_digest: str | None = None, number_format: str = "auto"
) -> Report:
    """Check (and with ``apply``, make) the changes of an uploaded file, and report on every row.

    Nothing stays changed unless ``apply`` is set and every row is valid; with
    ``expected_digest`` (the preview's), also only when the result is exactly the previewed one:
    rows are then applied without a savepoint each, and the first refusal stops the run (the
    report is then partial; run a preview again to see every problem). The caller commits."""
    problems, sheets = parse_book(raw, kind, number_format)
    report = Report(raw.filename, kind, problems)
    fast = apply and expected_digest is not None and not problems
    begin_transaction(db.session)
    savepoint = db.session.begin_nested()
    try:
        _Run(sheets, report, isolate=not fast).run()
    except _Stopped:
        pass
    except BaseException:
        savepoint.rollback()
        raise
    report.stale = expected_digest is not None and expected_digest != report.digest
    if apply and report.valid and not report.stale:
        savepoint.commit()
        report.applied = True
    else:
        savepoint.rollback()
    return report
