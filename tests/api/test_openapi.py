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
    documented = {(path, method.upper()) for path, operations in document["paths"].items()
                  for method in operations if method != "parameters"}
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
    assert document["components"]["schemas"]["PositionPatch"]["properties"].keys() == \
        document["components"]["schemas"]["PositionUpdate"]["properties"].keys()
    per_page = next(p for p in document["paths"]["/api/v1/positions"]["get"]["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == MAX_PER_PAGE
    assert document["paths"]["/api/v1/positions"]["get"]["responses"]["default"]["$ref"].endswith("DEFAULT_ERROR")
