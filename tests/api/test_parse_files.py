"""POST /api/v1/job-descriptions/parse with multipart/form-data: one document in ``file``,
the same answer as for pasted text; unreadable documents a 422 naming the file and the reason."""

from __future__ import annotations

import io

import pytest

from app.jobs.files import extract
from app.jobs.parser import parse_job_description
from tests.api.conftest import assert_error
from tests.jobs import documents


def _post(client, data: bytes, name: str, **extra):
    return client.post(
        "/api/v1/job-descriptions/parse",
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_a_docx_answers_what_its_text_answers(api, role):
    data = documents.word()
    response = _post(api(role), data, "客服主管.docx")
    assert response.status_code == 200, response.json
    expected = parse_job_description(extract("客服主管.docx", data).text)
    assert set(response.json) == {"title", "fields", "sections", "duties", "requirements", "warnings"}
    assert response.json["duties"] == expected["duties"] == documents.DUTIES
    assert response.json["requirements"] == expected["requirements"]


def test_pdf_and_text_files(api):
    client = api("hr")
    assert _post(client, documents.job_pdf(pages=1), "jd.pdf").json["requirements"] == [
        "大专以上学历",
        "三年以上客服工作经验。",
    ]
    text = "岗位职责：\n1、负责处理客户投诉\n2、负责团队管理\n任职资格：\n1、大专以上学历"
    assert _post(client, text.encode("gb18030"), "jd.txt").json["duties"] == ["负责处理客户投诉", "负责团队管理"]


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_and_admins(api, role):
    assert _post(api(role), documents.word(), "a.docx").status_code == 403


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("a.docx", documents.job_pdf(pages=1), "a.docx: The file is named .docx but holds a PDF document."),
        ("a.docx", b"PK\x03\x04broken", "a.docx: The file is damaged or incomplete"),
        ("a.docm", b"PK\x03\x04", "a.docm: Macro-enabled Word files (.docm) are not accepted"),
        ("a.txt", b"", "a.txt: The file is empty."),
        ("a.pdf", documents.encrypted_pdf(documents.job_pdf(pages=1)), "a.pdf: The PDF is protected by a password"),
        ("menu.txt", "今日菜单\n红烧肉 38元".encode(), "menu.txt: No job description was found"),
    ],
)
def test_bad_documents_answer_422_naming_the_file(api, name, data, reason):
    response = _post(api("hr"), data, name)
    assert response.status_code == 422
    assert response.json["errors"]["file"][0].startswith(reason)


def test_the_refusal_is_translated(api):
    response = _post(api("hr", locale="zh_CN"), b"", "空白.txt")
    assert response.status_code == 422
    assert response.json["errors"]["file"] == ["空白.txt：文件是空的。"]


def test_missing_or_extra_fields(api):
    client = api("hr")
    response = client.post("/api/v1/job-descriptions/parse", data={"text": "x"}, content_type="multipart/form-data")
    assert_error(response, 422, "text")
    response = client.post("/api/v1/job-descriptions/parse", data={}, content_type="multipart/form-data")
    assert_error(response, 422, "file")
    response = client.post(
        "/api/v1/job-descriptions/parse",
        content_type="multipart/form-data",
        data={"file": [(io.BytesIO(b"a"), "a.txt"), (io.BytesIO(b"b"), "b.txt")]},
    )
    assert_error(response, 422, "file")


def test_a_file_over_the_limit_is_refused(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "JD_UPLOAD_MAX_BYTES", 50_000)
    client = api("hr")
    response = _post(client, b"x" * 60_000, "big.txt")
    assert response.status_code == 422
    assert response.json["errors"]["file"] == ["big.txt: The file is larger than 0.05 MB."]
    assert _post(client, b"x" * 200_000, "huge.txt").status_code == 413  # before it is read
