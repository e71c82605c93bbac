"""Account operations. Services flush; the caller (view or CLI command) commits."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, update

from app.audit import services as audit
from app.auth.models import EMAIL_PATTERN, ApiToken, Role, User
from app.auth.passwords import hash_password, password_expired, password_problems, verify_password
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db

TOKEN_PREFIX = "rb_"
TOKEN_USE_RESOLUTION = timedelta(minutes=5)  # how precisely "last used" is kept


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users(search: str = "", role: str = "", status: str = ""):
    """Named query for the users page."""
    query = select(User).order_by(User.email)
    if search:
        query = query.where(
            User.email.icontains(search, autoescape=True) | User.name.icontains(search, autoescape=True)
        )
    if role:
        query = query.where(User.role == role)
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return query


def user_choices() -> list[tuple[int, str]]:
    """(id, e-mail) of every account, for select fields."""
    return [(row.id, row.email) for row in db.session.execute(select(User.id, User.email).order_by(User.email))]


def _check_role(role: str) -> str:
    if role not in {r.value for r in Role}:
        raise ServiceError.field("role", _("Unknown role “%(role)s”.", role=role))
    return role


def _check_password(password: str, email: str, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise ServiceError(_("The password does not meet the policy."), {field: problems})


def create_user(email: str, role: str, password: str, name: str = "", must_change_password: bool = False) -> User:
    email = normalise_email(email)
    if not re.match(EMAIL_PATTERN, email):
        raise ServiceError.field("email", _("Enter a valid e-mail address."))
    if find_user(email) is not None:
        raise ServiceError.field("email", _("A user with this e-mail already exists."))
    _check_role(role)
    _check_password(password, email)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str, field: str = "password", temporary: bool = False) -> None:
    _check_password(password, user.email, field)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = temporary
    db.session.flush()
    audit.record("password_change", "users", user.id, label=user.email)


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError.field("current_password", _("The current password is wrong."))
    if current == new:
        raise ServiceError.field("new_password", _("Choose a password different from the current one."))
    set_password(user, new, field="new_password")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. The failure says nothing about
    whether the e-mail exists, and takes the same time either way."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not (user and ok and user.active):
        audit.record("login_failed", "users", user.id if user else None, label=normalise_email(email)[:254])
        return None
    # A plain UPDATE: logging in must not bump the row's version and make open edit forms stale.
    db.session.execute(update(User).where(User.id == user.id).values(last_login_at=utcnow()))
    audit.record("login", "users", user.id, label=user.email, user=user)
    return user


# Who holds an account, for naming people: the organisation registers its employees
# (``register_account_holder(Employee, Employee.name, Employee.user_id)``, app/org/models.py).
_holder: tuple | None = None


def register_account_holder(entity, name, user_id) -> None:
    """``entity``'s rows hold accounts: ``name`` names the person holding the account ``user_id``."""
    global _holder
    _holder = (entity, name, user_id)


def person_names(user_ids) -> dict[int, str]:
    """{user id: how the person is named on every page}: the name of the employee who holds the
    account, else the account's name, else its e-mail (one query). The audit trail names people
    by the same rule."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    if _holder is None:
        query = select(User.id, User.name, User.email, literal(None))
    else:
        entity, holder_name, holder_user_id = _holder
        query = select(User.id, User.name, User.email, holder_name).outerjoin(entity, holder_user_id == User.id)
    rows = db.session.execute(query.where(User.id.in_(ids)))
    return {user_id: employee or name or email for user_id, name, email, employee in rows}


def needs_new_password(user: User) -> bool:
    return user.must_change_password or password_expired(user.password_changed_at)


def update_user(user: User, *, seen_version: int | None, role: str, active: bool, name: str, acting_user: User) -> None:
    check_version(user, seen_version)
    _check_role(role)
    if user.id == acting_user.id and (role != user.role or not active):
        raise ServiceError.field("role", _("You cannot change your own role or deactivate yourself."))
    if user.role == Role.ADMIN.value and (role != Role.ADMIN.value or not active):
        others = db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)
        )
        if not others:
            raise ServiceError.field("role", _("RoleBook needs at least one active administrator."))
    user.role = role
    user.active = active
    user.name = name.strip()
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def set_per_page(user: User, size: int) -> None:
    """The rows per list page the user chose (one of PER_PAGE_CHOICES), kept for their next lists."""
    from flask import current_app

    if size not in current_app.config["PER_PAGE_CHOICES"]:
        raise ServiceError.field(
            "per_page",
            _("Choose one of %(choices)s.", choices=", ".join(map(str, current_app.config["PER_PAGE_CHOICES"]))),
        )
    if user.per_page != size:
        user.per_page = size
        db.session.flush()


# --- API tokens -------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the clear token is returned once and never stored."""
    name = (name or "").strip() or _("API token")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:80], prefix=clear[:10], token_hash=_digest(clear))
    db.session.add(token)
    db.session.flush()
    return token, clear


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def user_for_token(clear: str) -> User | None:
    if not clear.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(clear)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        # On a short transaction of its own (a GET commits nothing), at most every few minutes.
        with db.engine.begin() as connection:
            connection.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return token.user
