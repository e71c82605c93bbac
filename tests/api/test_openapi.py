"""The OpenAPI document is generated from the schemas that validate the requests, documents
every route of the API, and names the fields that integrations rely on."""

from __future__ import annotations

import re

from app.api.common import MAX_PER_PAGE


def _document(api):
    response = api("employee").get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_every_api_route_is_documented(app, api):
    document = _document(api)
    assert document["openapi"].startswith("3.")
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
        if method != "parameters"
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint not in {"api-docs.openapi_json", "api_reference.page"}:
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


def test_the_fields_integrations_rely_on_are_documented(api):
    schemas = _document(api)["components"]["schemas"]
    for name, fields in {
        "DepartmentOut": {"id", "code", "name", "parent_id"},
        "PositionOut": {"id", "code", "title", "department_id", "reports_to_id", "headcount"},
        "EmployeeOut": {"id", "employee_no", "name", "email"},
        "AssignmentOut": {"id", "employee_id", "position_id", "start_date", "end_date"},
        "DepartmentPage": {"items", "total", "page", "per_page"},
        "ParseOut": {"title", "fields", "sections", "duties", "requirements", "warnings"},
        "Error": {"code", "message", "errors"},
    }.items():
        assert fields <= set(schemas[name]["properties"]), name
        assert fields <= set(schemas[name]["required"]), name
    detail = schemas["PositionDetailOut"]["properties"]["job_description"]
    assert {"$ref": "#/components/schemas/JobDescriptionOut"} in detail["anyOf"]
    assert any(option.get("nullable") for option in detail["anyOf"])
    assert schemas["JobDescriptionOut"]["properties"]["duties"]["items"]["$ref"].endswith("/DutyOut")
    assert "text" in schemas["DutyOut"]["properties"]


def test_the_document_says_how_to_authenticate_and_to_version_updates(api):
    document = _document(api)
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "sessionCookie"}
    put = document["paths"]["/api/v1/positions/{position_id}"]["put"]
    assert any(p["name"] == "If-Match" for p in put["parameters"])
    assert "ETag" in document["paths"]["/api/v1/positions/{position_id}"]["get"]["responses"]["200"]["headers"]
    assert "version" in document["components"]["schemas"]["PositionUpdate"]["properties"]
    assert "required" not in document["components"]["schemas"]["PositionPatch"]
    assert (
        document["components"]["schemas"]["PositionPatch"]["properties"].keys()
        == document["components"]["schemas"]["PositionUpdate"]["properties"].keys()
    )
    per_page = next(p for p in document["paths"]["/api/v1/positions"]["get"]["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == MAX_PER_PAGE
    assert document["paths"]["/api/v1/positions"]["get"]["responses"]["default"]["$ref"].endswith("DEFAULT_ERROR")


def test_the_job_description_schemas_are_documented(api):
    document = _document(api)
    schemas = document["components"]["schemas"]
    version = schemas["VersionOut"]["properties"]
    assert set(schemas["JobDescriptionOut"]["properties"]) < set(version)  # the position's, extended
    assert {"version", "review_comment", "events", "waivers", "based_on_id"} <= set(version)
    assert {"id", "kpi_id", "target", "weight"} <= set(schemas["KpiTargetOut"]["properties"])
    assert {"id", "competency_id", "level"} <= set(schemas["CompetencyLevelOut"]["properties"])
    assert "id" in schemas["SectionOut"]["properties"] and "id" in schemas["SectionDutyOut"]["properties"]
    content = schemas["ContentUpdate"]
    assert set(content["properties"]) == {
        "title",
        "purpose",
        "authority",
        "management_responsibility",
        "working_conditions",
        "sections",
        "requirements",
        "competencies",
        "kpis",
        "version",
    }
    assert content["required"] == ["title"] and content["additionalProperties"] is False
    assert schemas["ContentDutyIn"]["properties"]["frequency"]["enum"][:-1] == sorted(
        ["daily", "weekly", "monthly", "quarterly", "annual", "as_needed"]
    )
    assert set(schemas["DraftIn"]["properties"]) == {"template_id", "from_position_id", "content"}
    for name, fields in {
        "KpiOut": {"id", "code", "name", "unit", "direction", "version"},
        "CompetencyOut": {"id", "code", "name", "levels", "version"},
        "TemplateDetailOut": {"id", "name", "content"},
        "LintOut": {"findings", "open"},
        "ComparisonOut": {"old", "new", "duties", "requirements", "kpis", "competencies", "fields"},
        "VersionPage": {"items", "total", "page", "per_page"},
        "OutstandingOut": {"employee", "position", "version"},
    }.items():
        assert fields <= set(schemas[name]["properties"]) <= set(schemas[name]["required"]), name

    paths = document["paths"]
    version_path = "/api/v1/job-descriptions/versions/{version_id}"
    assert paths[version_path]["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ContentUpdate"
    )
    if_match = next(p for p in paths[version_path]["delete"]["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True
    for action in ("submit", "return", "approve", "publish", "waive", "acknowledge"):
        operation = paths[f"{version_path}/{action}"]["post"]
        assert any(p["name"] == "If-Match" for p in operation["parameters"]), action
        assert operation["summary"], action
    compare = paths[f"{version_path}/compare"]["get"]["parameters"]
    assert any(p["name"] == "with" and p["required"] for p in compare)
