"""Accounts and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, VersionedMixin, utcnow
from app.extensions import db

# Deliberately permissive: companies use internal domains (corp.local) that strict validators refuse.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Role(str, enum.Enum):
    """The four roles. They map onto the three user levels of the source documents:
    employee ≈ 普通用户 (browse), manager / hr ≈ 后台管理用户 (edit within their rights),
    admin ≈ 数据库管理用户 (users, backups and restore)."""

    ADMIN = "admin"
    HR = "hr"
    MANAGER = "manager"
    EMPLOYEE = "employee"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @classmethod
    def choices(cls):
        return [(role.value, role.label) for role in cls]


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.HR: _l("HR"),
    Role.MANAGER: _l("Manager"),
    Role.EMPLOYEE: _l("Employee"),
}


class User(VersionedMixin, UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'hr', 'manager', 'employee')", name="role_valid"),)
    audit_exclude = frozenset({"password_hash", "last_login_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.EMPLOYEE.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    per_page: Mapped[int | None] = mapped_column(Integer)  # rows per list page chosen (None: the default)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ApiToken.id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What the session remembers: the id and the time the password was last set, so that
        setting a new password ends every other session of the account."""
        return f"{self.id}:{self.password_stamp}"

    @property
    def password_stamp(self) -> str:
        """When the password was last set, to the microsecond, as digits."""
        changed = self.password_changed_at
        return changed.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S%f") if changed is not None else "0"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only a SHA-256 hash of the token is stored."""

    __tablename__ = "api_tokens"
    audit_exclude = frozenset({"token_hash", "last_used_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(db.Model):
    """One failed (or not yet checked) login for an account name, kept for the length of the
    limit's window (``app.auth.throttle``). Written on connections of its own, outside the audit
    trail, which records the failure itself (``login_failed``)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (db.Index("ix_login_failures_account_created_at", "account", "created_at"),)
