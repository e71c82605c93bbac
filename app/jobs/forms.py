"""Forms of the job-description pages. The editor is one form holding the whole content in
nested lists (sections → duties, requirements, competencies, KPI targets); the browser adds,
removes and reorders rows and renumbers them before sending. Validation lives in
``app.jobs.content.clean_content`` (shared with the API); its dotted error paths are put back
next to the nested fields by ``place_errors``."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.declared_forms import declared
from app.core.numbers import plain
from app.jobs.content import MAX_TITLE
from app.jobs.fields import COMPETENCY, KPI
from app.jobs.models import SCALE_MAX, Frequency, Period, RequirementKind

BLANK = [("", "—")]


class DutyForm(Form):
    id = HiddenField()
    text = TextAreaField(_l("Duty"), render_kw={"rows": 2})
    frequency = SelectField(_l("Frequency"), choices=[], validate_choice=False)
    standard = StringField(_l("Deadline or standard"))
    weight = StringField(_l("Weight"), render_kw={"inputmode": "decimal"})


class SectionForm(Form):
    id = HiddenField()
    heading = StringField(_l("Section heading"))
    duties = FieldList(FormField(DutyForm), min_entries=0)


class RequirementForm(Form):
    id = HiddenField()
    kind = SelectField(_l("Type"), choices=[], validate_choice=False)
    text = TextAreaField(_l("Requirement"), render_kw={"rows": 1})
    required = SelectField(_l("Required or preferred"), choices=[], validate_choice=False)


class CompetencyRowForm(Form):
    id = HiddenField()
    competency_id = SelectField(_l("Competency"), choices=[], validate_choice=False)
    level = SelectField(_l("Required level"), choices=[], validate_choice=False)


class KpiRowForm(Form):
    id = HiddenField()
    kpi_id = SelectField(_l("KPI"), choices=[], validate_choice=False)
    period = SelectField(_l("Period"), choices=[], validate_choice=False)
    target = StringField(_l("Target"), render_kw={"inputmode": "decimal"})
    threshold = StringField(_l("Threshold"), render_kw={"inputmode": "decimal"})
    stretch = StringField(_l("Stretch"), render_kw={"inputmode": "decimal"})
    weight = StringField(_l("Weight"), render_kw={"inputmode": "decimal"})
    note = StringField(_l("Note"))


class ContentForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    purpose = TextAreaField(_l("Purpose"), render_kw={"rows": 3})
    authority = TextAreaField(_l("Authority (职责权限)"), render_kw={"rows": 3})
    management_responsibility = TextAreaField(_l("Management responsibility (管理责任)"), render_kw={"rows": 2})
    working_conditions = TextAreaField(_l("Working conditions"), render_kw={"rows": 2})
    sections = FieldList(FormField(SectionForm), min_entries=0)
    requirements = FieldList(FormField(RequirementForm), min_entries=0)
    competencies = FieldList(FormField(CompetencyRowForm), min_entries=0)
    kpis = FieldList(FormField(KpiRowForm), min_entries=0)
    submit = SubmitField(_l("Save draft"))
    has_problems = False  # set when the service found problems after the form validated

    def set_choices(self, kpis, competencies) -> None:
        """Choices of every select, including those of the blank rows the page clones."""
        self.kpi_choices = BLANK + [(str(k.id), f"{k.name} ({k.code})") for k in kpis]
        self.competency_choices = BLANK + [(str(c.id), c.name) for c in competencies]
        self.frequency_choices = BLANK + Frequency.choices()
        self.kind_choices = RequirementKind.choices()
        self.required_choices = [("1", str(_l("Required"))), ("0", str(_l("Preferred")))]
        self.period_choices = Period.choices()
        self.level_choices = [(str(n), str(n)) for n in range(1, SCALE_MAX + 1)]
        for section in self.sections:
            for duty in section.form.duties:
                duty.form.frequency.choices = self.frequency_choices
        for row in self.requirements:
            row.form.kind.choices, row.form.required.choices = self.kind_choices, self.required_choices
        for row in self.competencies:
            row.form.competency_id.choices, row.form.level.choices = self.competency_choices, self.level_choices
        for row in self.kpis:
            row.form.kpi_id.choices, row.form.period.choices = self.kpi_choices, self.period_choices

    def content(self) -> dict:
        """The submitted content in the shape of ``app.jobs.content`` (unvalidated)."""

        def value(field):
            return field.data if field.data not in ("", "None") else None

        return {
            "title": self.title.data or "",
            **{
                name: getattr(self, name).data or ""
                for name in ("purpose", "authority", "management_responsibility", "working_conditions")
            },
            "sections": [
                {
                    "id": value(s.form.id),
                    "heading": s.form.heading.data or "",
                    "duties": [
                        {
                            "id": value(d.form.id),
                            "text": d.form.text.data or "",
                            "frequency": value(d.form.frequency),
                            "standard": d.form.standard.data or "",
                            "weight": value(d.form.weight),
                        }
                        for d in s.form.duties
                    ],
                }
                for s in self.sections
            ],
            "requirements": [
                {
                    "id": value(r.form.id),
                    "kind": r.form.kind.data,
                    "text": r.form.text.data or "",
                    "required": r.form.required.data != "0",
                }
                for r in self.requirements
            ],
            "competencies": [
                {"id": value(c.form.id), "competency_id": value(c.form.competency_id), "level": value(c.form.level)}
                for c in self.competencies
            ],
            "kpis": [
                {
                    "id": value(k.form.id),
                    "kpi_id": value(k.form.kpi_id),
                    "period": k.form.period.data,
                    "target": value(k.form.target),
                    "threshold": value(k.form.threshold),
                    "stretch": value(k.form.stretch),
                    "weight": value(k.form.weight),
                    "note": k.form.note.data or "",
                }
                for k in self.kpis
            ],
        }

    def fill(self, content: dict) -> None:
        """Load ``content`` into the form (GET, or an import preview)."""

        def text(value):  # every digit, never grouped or in exponent form (1200000, not 1.2e+06)
            return plain(value) if isinstance(value, (float, Decimal)) else "" if value is None else str(value)

        self.title.data = content["title"]
        for name in ("purpose", "authority", "management_responsibility", "working_conditions"):
            getattr(self, name).data = content[name]
        _reset(self.sections)
        for section in content["sections"]:
            entry = self.sections.append_entry()
            entry.form.id.data, entry.form.heading.data = text(section["id"]), section["heading"]
            _reset(entry.form.duties)
            for duty in section["duties"]:
                d = entry.form.duties.append_entry()
                d.form.id.data, d.form.text.data = text(duty["id"]), duty["text"]
                d.form.frequency.data, d.form.standard.data = duty["frequency"] or "", duty["standard"]
                d.form.weight.data = text(duty["weight"])
        _reset(self.requirements)
        for req in content["requirements"]:
            r = self.requirements.append_entry()
            r.form.id.data, r.form.kind.data, r.form.text.data = text(req["id"]), req["kind"], req["text"]
            r.form.required.data = "1" if req["required"] else "0"
        _reset(self.competencies)
        for row in content["competencies"]:
            c = self.competencies.append_entry()
            c.form.id.data, c.form.competency_id.data = text(row["id"]), text(row["competency_id"])
            c.form.level.data = text(row["level"])
        _reset(self.kpis)
        for row in content["kpis"]:
            k = self.kpis.append_entry()
            k.form.id.data, k.form.kpi_id.data, k.form.period.data = text(row["id"]), text(row["kpi_id"]), row["period"]
            for name in ("target", "threshold", "stretch", "weight"):
                getattr(k.form, name).data = text(row[name])
            k.form.note.data = row.get("note", "")


def _reset(field_list) -> None:
    while len(field_list.entries):
        field_list.pop_entry()


def place_errors(form: ContentForm, errors: dict[str, list[str]]) -> None:
    """Put the service's errors ("sections.0.duties.2.weight") next to the nested fields; what
    has no field goes to the top of the form."""
    for path, messages in errors.items():
        field = form
        for part in path.split("."):
            if part.isdigit():
                index = int(part)
                field = field.entries[index] if index < len(getattr(field, "entries", [])) else None
            else:
                holder = getattr(field, "form", field)
                field = getattr(holder, part, None)
            if field is None:
                break
        if field is not None and hasattr(field, "errors") and not hasattr(field, "entries"):
            field.errors = list(field.errors or []) + list(messages)
        else:
            form.form_errors.extend(messages)


class ImportForm(FlaskForm):
    text = TextAreaField(
        _l("Pasted job description"),
        validators=[InputRequired(message=_l("Paste the text of a job description."))],
        render_kw={"rows": 18},
    )
    preview = SubmitField(_l("Structure it"))


class NewDraftForm(FlaskForm):
    source = SelectField(_l("Start from"), choices=[], validate_choice=False)
    position_code = StringField(_l("Copy from position"), render_kw={"data-lookup": "positions", "autocomplete": "off"})
    submit = SubmitField(_l("Start a draft"))


class CommentForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField(
        _l("What needs to change"),
        validators=[InputRequired(message=_l("Say what needs to change.")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Return for changes"))


class PublishForm(FlaskForm):
    version = HiddenField()
    effective_date = DateField(
        _l("Effective from"), validators=[InputRequired(message=_l("Enter the date from which this version applies."))]
    )
    submit = SubmitField(_l("Publish"))


class WaiveForm(FlaskForm):
    finding_key = HiddenField(validators=[DataRequired()])
    reason = StringField(
        _l("Reason"),
        validators=[InputRequired(message=_l("Give the reason for accepting this finding.")), Length(max=2000)],
    )
    submit = SubmitField(_l("Waive"))


class WorkflowForm(FlaskForm):
    """Submit, approve, discard, acknowledge: a button with the version it was based on."""

    version = HiddenField()


class TemplateForm(FlaskForm):
    name = StringField(_l("Name in the library"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Save to the library"))


@declared(KPI)
class KpiForm(FlaskForm):
    """A KPI of the library: its fields are declared in app/jobs/fields.py."""

    version = HiddenField()
    submit = SubmitField(_l("Save"))


LEVELS = COMPETENCY.field("levels")
LEVEL_LABELS = (_l("Level 1"), _l("Level 2"), _l("Level 3"), _l("Level 4"), _l("Level 5"))


@declared(COMPETENCY, skip=("levels",))
class CompetencyForm(FlaskForm):
    """A competency of the library (app/jobs/fields.py); its levels are a field each."""

    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def levels(self) -> list[str]:
        return [self[f"level_{n}"].data or "" for n in range(1, LEVELS.maximum + 1)]


for _n, _label in enumerate(LEVEL_LABELS[: LEVELS.maximum], start=1):
    setattr(CompetencyForm, f"level_{_n}", StringField(_label, validators=[Optional(), Length(max=LEVELS.max_length)]))


class UploadForm(FlaskForm):
    """One job-description file for a position's import page."""

    file = FileField(_l("Job description file"), validators=[FileRequired(_l("Choose a file to upload."))])


class BulkUploadForm(FlaskForm):
    """Many job-description files, or one .zip of them, and the department of new positions."""

    files = MultipleFileField(_l("Files or a .zip archive"))
    department_id = SelectField(_l("Department of new positions"), choices=[], validate_choice=False)
