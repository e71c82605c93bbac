"""Small factories that build test data through the same services as the app."""
from __future__ import annotations

import itertools

from app.auth import services as auth_services
from app.extensions import db

PASSWORD = "Correct-Horse-42"
_counter = itertools.count(1)


def create_user(role: str = "employee", email: str | None = None, password: str = PASSWORD, **kwargs):
    email = email or f"{role}{next(_counter)}@example.test"
    user = auth_services.create_user(email, role, password, kwargs.pop("name", ""))
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.commit()
    return user
