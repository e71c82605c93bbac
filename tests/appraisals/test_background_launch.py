"""A launch of more than launch.BACKGROUND_ABOVE reviews runs as a background task with progress,
from the page and from the API; a small one runs at once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.appraisals.models import Review
from app.appraisals.services import launch
from app.extensions import db
from tests.appraisals.conftest import make_cycle
from tests.tasks.test_tasks import _wait, consumer  # noqa: F401 (fixture)


def _client(app, user):
    from tests import factories

    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return client


def _reviews(cycle) -> int:
    return db.session.scalar(select(func.count()).select_from(Review).where(Review.cycle_id == cycle.id))


def test_a_big_launch_runs_in_the_background_with_progress(app, consumer, shop, monkeypatch):  # noqa: F811
    monkeypatch.setattr(launch, "BACKGROUND_ABOVE", 2)
    cycle = make_cycle()
    hr = _client(app, shop.hr_user)
    response = hr.post(f"/appraisals/cycles/{cycle.id}/launch", data={"version": cycle.version})
    assert response.status_code == 302 and "/tasks/" in response.headers["Location"]
    task_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    status = _wait(hr, task_id, lambda s: s["status"] in ("done", "failed"))
    assert status["status"] == "done" and status["done"] == status["total"] == _reviews(cycle) >= 3
    page = hr.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert f"/appraisals/cycles/{cycle.id}" in page  # the task's page links to the cycle
    # launching again has nothing left to create: it runs at once and creates nothing twice
    db.session.expire_all()
    again = hr.post(
        f"/appraisals/cycles/{cycle.id}/launch", data={"version": db.session.get(type(cycle), cycle.id).version}
    )
    assert again.status_code == 302 and f"/appraisals/cycles/{cycle.id}" in again.headers["Location"]
    assert _reviews(cycle) == status["total"]


def test_the_api_answers_202_with_the_task_for_a_big_launch(app, consumer, shop, monkeypatch):  # noqa: F811
    from app.auth.services import issue_token

    monkeypatch.setattr(launch, "BACKGROUND_ABOVE", 2)
    cycle = make_cycle()
    _token, clear = issue_token(shop.hr_user, "tests")
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
    response = client.post(f"/api/v1/appraisal-cycles/{cycle.id}/launch", json={"version": cycle.version})
    assert response.status_code == 202, response.get_data(as_text=True)
    status = _wait(client, response.json["id"], lambda s: s["status"] in ("done", "failed"))
    assert status["status"] == "done" and _reviews(cycle) == status["total"]
