"""The org position page links to the position's job description in force and its PDF, for those
who may see them; the PDF link prints the version in force."""

from __future__ import annotations

from tests import factories
from tests.documents.conftest import pages_text, squeeze


def _client(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return client


def test_the_position_page_links_to_the_job_description_and_its_pdf(app, login, shop):
    hr = login("hr")
    page = hr.get(f"/org/positions/{shop.lead.id}").get_data(as_text=True)
    assert 'data-testid="position-jd"' in page
    assert f'href="/jobs/positions/{shop.lead.id}"' in page
    pdf_url = f"/documents/positions/{shop.lead.id}/job-description.pdf"
    assert f'href="{pdf_url}"' in page
    response = hr.get(pdf_url + "?lang=zh_CN")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "EC-LEAD-V1" in squeeze(pages_text(response.data)[0])  # the version in force
    # a position without one: its job-description page says so, no error
    response = hr.get(f"/documents/positions/{shop.staff.id}/job-description.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/jobs/positions/{shop.staff.id}")
    assert "no job description in force" in hr.get(response.headers["Location"]).get_data(as_text=True)


def test_only_those_who_may_see_the_job_description_get_the_links(app, login, shop):
    holder = _client(app, shop.lead_user)  # an employee: sees the posts they hold
    assert 'data-testid="position-jd"' in holder.get(f"/org/positions/{shop.lead.id}").get_data(as_text=True)
    assert holder.get(f"/documents/positions/{shop.lead.id}/job-description.pdf").status_code == 200
    other = holder.get(f"/org/positions/{shop.clerk.id}")
    assert other.status_code == 200 and 'data-testid="position-jd"' not in other.get_data(as_text=True)
    assert "job-description.pdf" not in other.get_data(as_text=True)
    assert holder.get(f"/documents/positions/{shop.clerk.id}/job-description.pdf").status_code == 404
    assert holder.get("/documents/positions/999999/job-description.pdf").status_code == 404
    manager = _client(app, shop.manager_user)  # a manager: the reporting subtree
    assert 'data-testid="position-jd"' in manager.get(f"/org/positions/{shop.staff.id}").get_data(as_text=True)
    assert 'data-testid="position-jd"' not in manager.get(f"/org/positions/{shop.clerk.id}").get_data(as_text=True)
    assert app.test_client().get(f"/documents/positions/{shop.lead.id}/job-description.pdf").status_code in (302, 401)
