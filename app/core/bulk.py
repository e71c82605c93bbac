"""Bulk actions on list pages, with a selection that spans pages (issue 19, point 7).

A domain registers a list (``register_list``: its key, who may select on it, which records of it
the user may see, and the ids its filters match) and the actions on it (``register_action``).
The selection is kept on the server per user and list (``bulk_selections``), so it survives
paging, filtering and sorting; checkboxes on a page only add to or remove from it. Each action
has a confirmation page (``app.core.bulk_views``) that shows the count and the records, takes the
action's own fields (e.g. an effective date) and runs it in the request's one transaction: all
or nothing. An action's ``run`` calls its domain's services (which flush and record their audit
events) and records one event for the bulk action itself; it refuses the whole selection with
``refusal`` when one record may not be changed, naming them.

A new action is one ``register_action`` call in the domain that owns it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.errors import ServiceError
from app.db import UTCDateTime, utcnow
from app.extensions import db

MAX_SELECTION = 20_000  # ids kept per user and list (a selection of every employee of a big company)
NAMED = 20  # records named in a refusal or on a confirmation page before "and N more"


class Selection(db.Model):  # type: ignore[name-defined]
    """The ids a user has selected on a list (across its pages)."""

    __tablename__ = "bulk_selections"
    __audit__ = False  # a working set, not a record: the actions run on it are audited
    __table_args__ = (UniqueConstraint("user_id", "list_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    list_key: Mapped[str] = mapped_column(String(60))
    ids: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass
class BulkAction:
    name: str
    label: Any  # a lazy string: the button
    confirm: Any  # a lazy string with %(num)d: the question on the confirmation page
    permission: Callable[[Any], bool]  # may the user run it at all (role)
    run: Callable[[list[int], Any], Any]  # (ids, the submitted form) → a response (a download) or None
    form: type | None = None  # a FlaskForm class with the action's own fields
    danger: bool = False
    done: Any = None  # a lazy string with %(num)d: the message after it ran


@dataclass
class BulkList:
    key: str
    label: Any  # a lazy string: what the records are ("Positions")
    endpoint: str  # the list page
    permission: Callable[[Any], bool]  # may the user select on this list
    names: Callable[[Sequence[int]], dict[int, str]]  # {id: label} of those ids the user may see
    matching: Callable[[Any], Any]  # the list's filters (request args) → a select of ids
    actions: dict[str, BulkAction] = field(default_factory=dict)


LISTS: dict[str, BulkList] = {}


def register_list(bulk_list: BulkList) -> BulkList:
    LISTS[bulk_list.key] = bulk_list
    return bulk_list


def register_action(list_key: str, action: BulkAction) -> None:
    LISTS[list_key].actions[action.name] = action


def get_list(key: str) -> BulkList | None:
    return LISTS.get(key)


# --- the selection ---------------------------------------------------------------------------


def _row(user_id: int, key: str) -> Selection | None:
    return db.session.scalar(select(Selection).where(Selection.user_id == user_id, Selection.list_key == key))


def selected(user, key: str) -> list[int]:
    """The ids ``user`` has selected on list ``key`` (one query)."""
    row = _row(user.id, key)
    return list(row.ids) if row is not None else []


def change(user, key: str, add: Iterable[int] = (), remove: Iterable[int] = (), clear: bool = False) -> int:
    """Add and remove ids (at most MAX_SELECTION kept); returns how many are selected."""
    row = _row(user.id, key)
    current = [] if row is None or clear else list(row.ids)
    removed = set(remove)
    kept = set(current) - removed
    ids = [i for i in current if i in kept] + [i for i in dict.fromkeys(add) if i not in kept and i not in removed]
    if len(ids) > MAX_SELECTION:
        raise ServiceError(_("At most %(num)d records can be selected at once.", num=MAX_SELECTION))
    if not ids:
        db.session.execute(delete(Selection).where(Selection.user_id == user.id, Selection.list_key == key))
        return 0
    if row is None:
        row = Selection(user_id=user.id, list_key=key)
        db.session.add(row)
    row.ids, row.updated_at = ids, utcnow()
    db.session.flush()
    return len(ids)


def refusal(message: str, names: Sequence[str]) -> ServiceError:
    """The whole action refused, naming the records at fault (the first NAMED, then a count)."""
    shown = ", ".join(names[:NAMED])
    if len(names) > NAMED:
        shown += " " + _("and %(num)d more", num=len(names) - NAMED)
    return ServiceError(f"{message} {shown}", {"selection": [shown]})


@dataclass
class ListSelection:
    """What a list page needs to show its selection: the list's key, the selected ids, and the
    actions (the template shows those the user may run)."""

    key: str
    selected: set[int]
    actions: list[BulkAction]


def for_page(user, key: str) -> ListSelection:
    return ListSelection(key, set(selected(user, key)), list(LISTS[key].actions.values()))
