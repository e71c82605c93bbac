"""The PDF cache's key covers everything that shapes a document besides its content: templates,
stylesheet, compiled translations and the code that formats values and draws the charts."""

from __future__ import annotations

import shutil

import pytest

from app.documents import cache, services
from app.jobs import services as jobs


def test_the_key_covers_translations_formatting_and_chart_code():
    files = cache.inputs()
    names = {str(path.relative_to(cache.APP.parent)) for path in files}
    assert {
        "app/translations/zh_Hans_CN/LC_MESSAGES/messages.mo",
        "app/translations/en/LC_MESSAGES/messages.mo",
        "app/documents/formatting.py",
        "app/core/formatting.py",
        "app/org/chart.py",
        "app/org/chart_dot.py",
        "app/org/chart_svg.py",
        "app/documents/assets/print.css",
        "templates/documents/pdf/job_description.html",
    } <= names
    assert all(path.is_file() for path in files)


def test_changing_any_input_changes_the_key(ctx, shop, monkeypatch, tmp_path):
    """Each input in turn is replaced by a copy that differs by one byte: the document's key changes."""
    version = jobs.get_version(shop.version.id)
    real = cache.inputs()
    monkeypatch.setattr(cache, "inputs", lambda: files)
    watched = [path for path in real if path.suffix == ".mo" or path.name in ("formatting.py", "chart.py")]
    assert len(watched) == 5
    for path in watched:
        copy = tmp_path / path.relative_to(cache.APP.parent)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        files = [copy if other == path else other for other in real]
        cache.template_version.cache_clear()
        before = services.job_description_pdf(version, "zh_CN").etag
        copy.write_bytes(copy.read_bytes() + b"\n")
        cache.template_version.cache_clear()
        after = services.job_description_pdf(version, "zh_CN").etag
        assert before != after, path
    cache.template_version.cache_clear()


@pytest.mark.parametrize("kept", [False, True], ids=["key computed", "key kept"])
def test_a_cached_job_description_reads_only_its_row_and_header(app, login, shop, count_queries, kept, monkeypatch):
    """Printed again, a published job description runs three queries (the user, the version with
    its position, department and superior, and the subordinates its header prints; or, with the
    key kept until the data changes, the newest audit row), not its content's; a change of its
    status or of its header prints anew."""
    from app.org.services import views_cache

    views_cache.clear()
    monkeypatch.setitem(app.config, "ORG_VIEW_CACHE", kept)
    hr = login("hr")
    url = f"/documents/versions/{shop.version.id}/job-description.pdf?lang=en"
    first = hr.get(url)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    with count_queries() as queries:
        again = hr.get(url)
    assert again.headers["X-Cache"] == "hit" and again.data == first.data
    assert len(queries) <= 3, queries
    assert hr.get(url, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
    # the position renamed: its header changes, so does the document
    from app.extensions import db

    shop.version.position.title = "电商运营总监"
    db.session.commit()
    renamed = hr.get(url)
    assert renamed.headers["X-Cache"] == "miss" and renamed.headers["ETag"] != first.headers["ETag"]
    # superseded by a newer version: printed anew, with the mark
    from tests import factories

    factories.publish_jd(shop.version.position, factories.jd_content("电商运营总监"))
    superseded = hr.get(url)
    assert superseded.headers["X-Cache"] == "miss" and superseded.headers["ETag"] != renamed.headers["ETag"]
    views_cache.clear()
