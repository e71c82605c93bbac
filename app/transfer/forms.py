"""The upload form of the import page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField

from app.core.numbers import FORMAT_CHOICES, FORMAT_DESCRIPTION
from app.transfer.spec import KIND_CHOICES, kind_label


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), default="all")
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to upload."))],
        description=_l("An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK)."),
        render_kw={"accept": ".xlsx,.csv"},
    )
    number_format = SelectField(
        _l("Numbers in the file are written as"), choices=FORMAT_CHOICES, default="auto", description=FORMAT_DESCRIPTION
    )
    submit = SubmitField(_l("Check the file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(key, kind_label(key)) for key in KIND_CHOICES]
