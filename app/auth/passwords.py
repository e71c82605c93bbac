"""The password policy and password hashing.

The policy is configuration (``PASSWORD_POLICY`` in config.py): minimum length, a blocklist of
common passwords, not equal to (or containing) the e-mail's local part, optionally no leading
digit, a minimum number of character classes, and a maximum age after which the user must
choose a new password at the next login.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.security import check_password_hash, generate_password_hash

from app.core import clock


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; with no hash (unknown e-mail) check against a dummy hash of the same
    method, so that a failed login takes the same time whether or not the account exists."""
    return check_password_hash(password_hash or _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, from zxcvbn's frequency lists."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def policy() -> dict:
    return current_app.config["PASSWORD_POLICY"]


def password_problems(password: str, email: str = "") -> list[str]:
    """Every rule ``password`` breaks, as sentences in the user's language (empty if none)."""
    rules = policy()
    problems = []
    min_length = rules["MIN_LENGTH"]
    if len(password) < min_length:
        problems.append(ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", min_length))
    if rules["FORBID_LEADING_DIGIT"] and password[:1].isdigit():
        problems.append(_("Do not start the password with a digit."))
    if _classes(password) < rules["MIN_CHARACTER_CLASSES"]:
        problems.append(
            _(
                "Mix at least %(num)d kinds of characters: lower case, upper case, digits, symbols.",
                num=rules["MIN_CHARACTER_CLASSES"],
            )
        )
    if rules["BLOCK_COMMON"] and password.lower() in _common_passwords():
        problems.append(_("This password is one of the most common passwords; choose another."))
    email = (email or "").strip().lower()
    if rules["FORBID_EMAIL"] and email:
        local = email.split("@")[0]
        lowered = password.lower()
        if lowered == email or (len(local) >= 3 and local in lowered):
            problems.append(_("The password must not contain your e-mail address."))
    return problems


def password_expired(changed_at: datetime | None) -> bool:
    max_age = policy()["MAX_AGE_DAYS"]
    if not max_age or changed_at is None:
        return False
    return clock.now() - changed_at > timedelta(days=max_age)


def policy_summary() -> str:
    """One sentence describing the policy, shown next to password fields."""
    rules = policy()
    parts = [ngettext("at least %(num)d character", "at least %(num)d characters", rules["MIN_LENGTH"])]
    if rules["MIN_CHARACTER_CLASSES"] > 1:
        parts.append(_("%(num)d kinds of characters", num=rules["MIN_CHARACTER_CLASSES"]))
    if rules["FORBID_LEADING_DIGIT"]:
        parts.append(_("not starting with a digit"))
    if rules["BLOCK_COMMON"]:
        parts.append(_("not a common password"))
    if rules["FORBID_EMAIL"]:
        parts.append(_("not your e-mail"))
    sentence = _("Passwords need %(rules)s.", rules=_(", ").join(parts))
    if rules["MAX_AGE_DAYS"]:
        sentence += " " + _("They expire after %(num)d days.", num=rules["MAX_AGE_DAYS"])
    return sentence
