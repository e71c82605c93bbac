"""JSON answers that keep every digit: Decimals are written as JSON numbers exactly
(99999999999999.9999, not 1e14 nor a string), through simplejson's ``use_decimal``; everything
else as Flask writes it."""

from __future__ import annotations

import simplejson
from flask.json.provider import DefaultJSONProvider


class ExactJSONProvider(DefaultJSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return simplejson.dumps(obj, use_decimal=True, namedtuple_as_object=False, **kwargs)
