"""List pages take their size from the configuration (ROLEBOOK_PER_PAGE) and from the user (25, 50,
100, 200), remembered on the account, with a fixed number of queries whatever the size."""

from __future__ import annotations

import re

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from tests import factories


def _departments(count: int) -> None:
    top = factories.create_department("TOP", "公司")
    for number in range(count - 1):
        factories.create_department(f"D{number:03d}", f"部门{number}", top)
    db.session.commit()


def _rows(page: str) -> int:
    return len(re.findall(r'href="/org/departments/\d+"', page))


def test_the_default_size_comes_from_the_configuration(make_app, ctx):
    _departments(130)
    app = make_app(PER_PAGE=50)
    client = app.test_client()
    user = factories.create_user("hr")
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    page = client.get("/org/departments").get_data(as_text=True)
    assert _rows(page) == 50 and "1–50 of 130" in page


def test_a_size_chosen_under_a_list_is_remembered_for_the_account(login):
    _departments(130)
    client = login("hr")
    page = client.get("/org/departments").get_data(as_text=True)
    assert _rows(page) == 25 and 'data-testid="per-page"' in page
    assert "per_page=100" in page
    page = client.get("/org/departments?per_page=100").get_data(as_text=True)
    assert _rows(page) == 100 and "1–100 of 130" in page
    assert db.session.get(User, client.user.id).per_page == 100
    event = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity == "users", AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["per_page"] == [None, 100]
    # the next lists open with it: departments, and every other list
    assert _rows(client.get("/org/departments").get_data(as_text=True)) == 100
    assert "1–100 of 130" in client.get("/org/departments?page=1").get_data(as_text=True)
    page = client.get("/org/departments?per_page=200").get_data(as_text=True)
    assert _rows(page) == 130


def test_sizes_outside_the_choices_are_ignored(login):
    _departments(60)
    client = login("hr")
    for asked in ("7", "1000", "-25", "abc", "25.0", "9" * 30):
        response = client.get(f"/org/departments?per_page={asked}")
        assert response.status_code == 200
        assert _rows(response.get_data(as_text=True)) == 25
    assert db.session.get(User, client.user.id).per_page is None


def test_the_number_of_queries_does_not_depend_on_the_size(login, count_queries):
    _departments(210)
    client = login("hr")
    client.get("/org/departments?per_page=25")  # chosen (and remembered) before counting
    with count_queries() as small:
        assert client.get("/org/departments").status_code == 200
    client.get("/org/departments?per_page=200")
    with count_queries() as large:
        assert _rows(client.get("/org/departments").get_data(as_text=True)) == 200
    assert len(small) == len(large)


def test_the_positions_list_counts_its_rows_without_its_order_and_pages_to_the_last(login):
    """The positions page is ordered head first by a recursive ranking; its count leaves that out
    (``page_of(counted=…)``) and must still be the number of rows the filters keep."""
    top = factories.create_department("TOP", "公司")
    sales = factories.create_department("SAL", "销售部", top)
    boss = factories.create_position("CEO", top, "总经理")
    for number in range(30):
        factories.create_position(f"S{number:02d}", sales, f"销售专员{number}", reports_to=boss)
    db.session.commit()
    hr = login("hr")
    page = hr.get("/org/positions?per_page=25").get_data(as_text=True)
    assert "1–25 of 31" in page and page.index("总经理") < page.index("销售专员0")
    last = hr.get("/org/positions?per_page=25&page=99").get_data(as_text=True)
    assert "26–31 of 31" in last
    searched = hr.get("/org/positions?q=销售专员1").get_data(as_text=True)
    assert "1–11 of 11" in searched  # 销售专员1 and 10–19
    subtree = hr.get(f"/org/positions?department={sales.id}&vacancy=vacant").get_data(as_text=True)
    assert "1–25 of 30" in subtree
