"""The state of a background task, readable by the pages while a consumer runs it."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db


class TaskStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str(TASK_STATUS_LABELS[self])


TASK_STATUS_LABELS = {
    TaskStatus.QUEUED: _l("Waiting"),
    TaskStatus.RUNNING: _l("Running"),
    TaskStatus.DONE: _l("Ready"),
    TaskStatus.FAILED: _l("Failed"),
}
FINISHED = (TaskStatus.DONE.value, TaskStatus.FAILED.value)


class Task(db.Model):
    """One piece of background work of ``kind`` (a registered handler) with its JSON ``params``.
    Its owner, and only they, follow its progress (``done`` of ``total`` steps) and download its
    result, a file under the instance folder."""

    __tablename__ = "tasks"
    __audit__ = False  # bookkeeping of the queue, not business data: the work itself is audited
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_valid"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_not_negative"),
        Index("ix_tasks_owner_id_created_at", "owner_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    title: Mapped[str] = mapped_column(String(200), default="")  # what the owner sees in lists
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.QUEUED.value, index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(String(200), default="")  # what it is doing now
    error: Mapped[str] = mapped_column(Text, default="")
    result_file: Mapped[str | None] = mapped_column(String(255))  # file name in the results folder
    result_name: Mapped[str] = mapped_column(String(255), default="")  # name of the download
    result_mimetype: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    worker: Mapped[str | None] = mapped_column(String(120))  # host:pid of the process running it

    owner = relationship("User")

    @property
    def status_enum(self) -> TaskStatus:
        return TaskStatus(self.status)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == TaskStatus.DONE.value:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    @property
    def has_result(self) -> bool:
        return self.status == TaskStatus.DONE.value and bool(self.result_file)

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.kind} {self.status}>"
