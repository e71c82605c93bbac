"""What the tests of declared fields (tests/*/test_fields.py) share: a form built outside a
request's CSRF check, and the validators of a page's or an API's field of one kind."""

from __future__ import annotations

FORM_ONLY = {"csrf_token", "version", "submit"}  # a form's own fields, not declared


def form_of(app, form_class):
    with app.test_request_context():
        return form_class(meta={"csrf": False})


def validators(field, kind):
    return [v for v in field.validators if isinstance(v, kind)]


def api_validators(field, kind):
    found = field.validators if not hasattr(field, "inner") else [*field.validators, *field.inner.validators]
    return [v for v in found if isinstance(v, kind)]
