"""Characters that user text may not carry into the database or the exports."""

from __future__ import annotations

import re

# NUL and lone surrogates: no database stores them (PostgreSQL refuses NUL, UTF-8 surrogates).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Other control characters (not tab, line feed, carriage return): invisible, and no spreadsheet keeps them.
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Both: what a posted form loses before it is read.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
