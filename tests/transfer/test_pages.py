"""The import / export pages: upload, preview, confirm; who may use them; the command line."""

from __future__ import annotations

import io
import re

from app.audit.models import AuditEvent
from app.extensions import db
from app.org import services as org
from app.org.models import Department, Employee
from app.transfer import uploads
from tests import factories
from tests.transfer.helpers import build_org, counts, xlsx


def _upload(client, data: bytes, filename: str, kind: str = "all"):
    return client.post(
        "/transfer/import",
        data={"kind": kind, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _token(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return re.search(r"/transfer/import/([\w-]+)$", response.headers["Location"]).group(1)


NEW_ORG = xlsx(
    {
        "departments": [["code", "name", "parent_code"], ["SALES", "销售部", "GM"], ["GM", "总经理办公室", ""]],
        "positions": [
            ["code", "title", "department_code", "reports_to_code"],
            ["S-1", "销售专员", "SALES", "GM-1"],
            ["GM-1", "总经理", "GM", ""],
        ],
    }
)


def test_hr_uploads_previews_and_confirms_an_import(login):
    hr = login("hr")
    page = hr.get("/transfer/").get_data(as_text=True)
    assert "The organisation is empty: nothing to export yet." in page and "transfer.js" in page
    token = _token(_upload(hr, NEW_ORG, "新组织.xlsx"))
    assert counts()["Department"] == 0  # the preview changed nothing
    page = hr.get(f"/transfer/import/{token}").get_data(as_text=True)
    assert "The file is valid. Nothing has changed yet" in page and "销售部" in page
    assert page.count('class="badge text-bg-success">New<') == 4
    response = hr.post(f"/transfer/import/{token}/apply")
    assert response.status_code == 302 and response.headers["Location"].endswith("/transfer/")
    assert "Imported 新组织.xlsx: 4 created, 0 updated, 0 unchanged." in hr.get("/transfer/").get_data(as_text=True)
    sales = db.session.scalar(db.select(Department).where(Department.code == "SALES"))
    assert sales.parent.code == "GM" and [p.code for p in sales.positions] == ["S-1"]
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.actor_id == hr.user.id)).all()
    assert {(e.entity, e.action) for e in events} >= {
        ("departments", "create"),
        ("positions", "create"),
        ("organisation", "import"),
    }
    assert hr.get(f"/transfer/import/{token}").status_code == 404  # used up


def test_a_file_with_problems_cannot_be_confirmed(login):
    hr = login("hr")
    data = "employee_no,name,hire_date\r\nE1,王强,someday\r\n".encode("utf-8")
    token = _token(_upload(hr, data, "employees.csv", "employees"))
    page = hr.get(f"/transfer/import/{token}").get_data(as_text=True)
    assert "1 problem: nothing will be imported." in page and "“someday” is not a date" in page
    assert "Import these changes" not in page and "Upload the corrected file" in page
    hr.post(f"/transfer/import/{token}/apply")
    assert counts()["Employee"] == 0
    problems_only = hr.get(f"/transfer/import/{token}?show=problems").get_data(as_text=True)
    assert 'data-row="employees-2"' in problems_only


def test_confirming_applies_exactly_what_was_previewed(login):
    hr = login("hr")
    build_org()
    data = "code,name\r\nEC,电商事业部\r\n".encode("utf-8")
    token = _token(_upload(hr, data, "departments.csv", "departments"))
    assert "电商事业部" in hr.get(f"/transfer/import/{token}").get_data(as_text=True)
    # meanwhile someone else changes the same department
    shop = db.session.scalar(db.select(Department).where(Department.code == "EC"))
    org.update_department(
        shop,
        org.DepartmentData(code="EC", name="网店部", parent_id=shop.parent_id, head_position_id=shop.head_position_id),
        seen_version=None,
    )
    db.session.commit()
    response = hr.post(f"/transfer/import/{token}/apply", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Nothing was imported: the organisation changed since the preview." in page
    assert "网店部" in page  # the new preview shows the current name as the one to be replaced
    assert db.session.scalar(db.select(Department.name).where(Department.code == "EC")) == "网店部"
    hr.post(f"/transfer/import/{token}/apply")  # confirming the new preview applies it
    assert db.session.scalar(db.select(Department.name).where(Department.code == "EC")) == "电商事业部"


def test_a_stored_upload_that_changed_is_refused(login):
    hr = login("hr")
    build_org()
    token = _token(_upload(hr, "code,name\r\nEC,电商事业部\r\n".encode("utf-8"), "d.csv", "departments"))
    stored = uploads.load(token, hr.user.id)
    (stored.folder / "upload.bin").write_bytes("code,name\r\nEC,被篡改\r\n".encode("utf-8"))
    page = hr.post(f"/transfer/import/{token}/apply", follow_redirects=True).get_data(as_text=True)
    assert "The stored file changed since it was uploaded" in page
    assert db.session.scalar(db.select(Department.name).where(Department.code == "EC")) == "电商部"


def test_unreadable_uploads_are_refused_next_to_the_file_field(login):
    hr = login("hr")
    page = _upload(hr, b"%PDF-1.4", "org.pdf").get_data(as_text=True)
    assert "Wrong file type: upload an Excel workbook (.xlsx) or a CSV file (.csv)." in page
    page = hr.post("/transfer/import", data={"kind": "all"}).get_data(as_text=True)
    assert "Choose a file to upload." in page


def test_too_large_uploads_are_refused(make_app, ctx):
    app = make_app(TRANSFER_MAX_BYTES=1000)
    user = factories.create_user("hr")
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post(
        "/transfer/import",
        data={"kind": "employees", "file": (io.BytesIO(b"x" * 5000), "e.csv")},
        content_type="multipart/form-data",
    )
    assert "The file is too large (at most 0.001 MB)" in response.get_data(as_text=True)
    response = client.post(
        "/transfer/import",
        data={"kind": "employees", "file": (io.BytesIO(b"x" * 2_000_000), "e.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "The file is too large" in response.get_data(as_text=True)


def test_only_hr_and_admins_import_and_only_their_own_uploads(login):
    hr = login("hr")
    token = _token(_upload(hr, NEW_ORG, "org.xlsx"))
    other_hr = login("hr")
    assert other_hr.get(f"/transfer/import/{token}").status_code == 404
    assert other_hr.post(f"/transfer/import/{token}/apply").status_code == 404
    for role in ("manager", "employee"):
        client = login(role)
        assert client.get("/transfer/").status_code == 403
        assert client.get("/transfer/export/employees.csv").status_code == 403
        assert _upload(client, NEW_ORG, "org.xlsx").status_code == 403
        assert "Import / export" not in client.get("/org/departments").get_data(as_text=True)
    assert "Import / export" in login("admin").get("/org/departments").get_data(as_text=True)
    assert counts()["Department"] == 0


def test_discarding_an_upload_removes_it(login):
    hr = login("hr")
    token = _token(_upload(hr, NEW_ORG, "org.xlsx"))
    assert hr.post(f"/transfer/import/{token}/discard").status_code == 302
    assert hr.get(f"/transfer/import/{token}").status_code == 404


def test_command_line_export_and_import(data_app, ctx, tmp_path):
    build_org()
    runner = data_app.test_cli_runner()
    target = tmp_path / "employees.csv"
    result = runner.invoke(args=["transfer", "export", "employees", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_bytes().decode("utf-8-sig").replace('"李四"', '"李四四"')
    target.write_bytes(text.encode("utf-8"))
    result = runner.invoke(args=["transfer", "import", "employees", str(target), "-v"])
    assert result.exit_code == 0 and "0 to create, 1 to update, 2 unchanged" in result.output
    assert "Dry run: nothing was changed." in result.output and "'李四' -> '李四四'" in result.output
    assert db.session.scalar(db.select(Employee.name).where(Employee.employee_no == "E003")) == "李四"
    result = runner.invoke(args=["transfer", "import", "employees", str(target), "--apply"])
    assert result.exit_code == 0 and "Imported." in result.output
    db.session.expire_all()
    assert db.session.scalar(db.select(Employee.name).where(Employee.employee_no == "E003")) == "李四四"
    target.write_bytes("employee_no,name,hire_date\r\nE003,李四,yesterday\r\n".encode("utf-8"))
    result = runner.invoke(args=["transfer", "import", "employees", str(target), "--apply"])
    assert result.exit_code == 1 and "row 2 (E003) hire_date: “yesterday” is not a date" in result.output
    assert runner.invoke(args=["transfer", "export", "all", str(tmp_path / "all.csv")]).exit_code == 2
    assert runner.invoke(args=["transfer", "export", "all", str(tmp_path / "all.xlsx")]).exit_code == 0


def test_the_number_format_chosen_on_the_upload_is_kept_until_the_import_is_applied(login):
    from app.org.models import Position

    hr = login("hr")
    data = xlsx(
        {
            "departments": [["code", "name"], ["GM", "总经理办公室"]],
            "positions": [["code", "title", "department_code", "headcount"], ["GM-1", "文员", "GM", "1.500"]],
        }
    )
    page = hr.get(f"/transfer/import/{_token(_upload(hr, data, 'a.xlsx'))}").get_data(as_text=True)
    assert "is not a whole number" in page  # automatic: 1.500 is 1.5
    response = hr.post(
        "/transfer/import",
        data={"kind": "all", "number_format": "comma", "file": (io.BytesIO(data), "a.xlsx")},
        content_type="multipart/form-data",
    )
    token = _token(response)
    page = hr.get(f"/transfer/import/{token}").get_data(as_text=True)
    assert "The file is valid" in page
    assert uploads.load(token, hr.user.id).number_format == "comma"  # kept for the apply
    assert hr.post(f"/transfer/import/{token}/apply").status_code == 302
    assert db.session.scalar(db.select(Position.headcount).where(Position.code == "GM-1")) == 1500
