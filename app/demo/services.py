"""Demo data. Each loader creates only what is missing, so loading twice changes nothing."""
from __future__ import annotations

from app.auth import services as auth_services

# One account per role, all with the same password, which satisfies the default policy.
DEMO_PASSWORD = "RoleBook-2026"
DEMO_USERS = (
    ("admin@rolebook.demo", DEMO_PASSWORD, "admin"),
    ("hr@rolebook.demo", DEMO_PASSWORD, "hr"),
    ("manager@rolebook.demo", DEMO_PASSWORD, "manager"),
    ("employee@rolebook.demo", DEMO_PASSWORD, "employee"),
)
DEMO_NAMES = {
    "admin@rolebook.demo": "系统管理员",
    "hr@rolebook.demo": "人事专员 李娜",
    "manager@rolebook.demo": "电商部经理 王强",
    "employee@rolebook.demo": "在线客服 陈静",
}


def load_users() -> int:
    created = 0
    for email, password, role in DEMO_USERS:
        if auth_services.find_user(email) is None:
            auth_services.create_user(email, role, password, DEMO_NAMES[email])
            created += 1
    return created


def load_demo() -> int:
    """Everything the demo needs; returns the number of records created."""
    return load_users()
