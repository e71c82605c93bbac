"""The one refusal of a document: the file's name and the reason, in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _


class FileRefused(ValueError):
    """A document that cannot be read (damaged, encrypted, not what its name says, empty...)."""

    def __init__(self, filename: str, reason: str):
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason

    @property
    def message(self) -> str:
        return _("%(file)s: %(reason)s", file=self.filename, reason=self.reason)
