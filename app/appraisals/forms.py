"""Forms of the appraisal pages. The rules live in the services (shared with the API); these
forms parse, and put the services' field errors back next to the fields."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
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
from wtforms.validators import InputRequired, Length, Optional

from app.appraisals.fields import CYCLE
from app.appraisals.models import ExclusionReason, FeedbackRelation, PlanStatus, SelfReviewMode
from app.appraisals.services.flow import REOPEN_STEPS
from app.core.declared_forms import declared
from app.core.numbers import FORMAT_CHOICES, FORMAT_DESCRIPTION, plain

BLANK = [("", "—")]


@declared(CYCLE)
class CycleForm(FlaskForm):
    """An appraisal cycle: its fields are declared in app/appraisals/fields.py."""

    version = HiddenField()
    submit = SubmitField(_l("Save cycle"))


class LevelForm(Form):
    label = StringField(_l("Label"))
    description = StringField(_l("Description"))


class BandForm(Form):
    band = StringField(_l("Band"))
    min = StringField(_l("Minimum score"), render_kw={"inputmode": "decimal"})
    guide_min = StringField(_l("At least (%)"), render_kw={"inputmode": "decimal"})
    guide_max = StringField(_l("At most (%)"), render_kw={"inputmode": "decimal"})
    bonus = StringField(_l("Bonus coefficient"), render_kw={"inputmode": "decimal"})
    salary_raise = StringField(_l("Salary adjustment (%)"), render_kw={"inputmode": "decimal"})


class OutcomeForm(Form):
    code = StringField(_l("Code"))
    label = StringField(_l("Label"))


class FeedbackSettingsForm(Form):
    """A template's 360° feedback settings (``services.templates.clean_feedback``)."""

    enabled = BooleanField(_l("Ask for 360° feedback (peers, direct reports, other managers)"))
    anonymous = BooleanField(_l("Anonymous: reviewee and reviewer see only aggregated answers"), default=True)
    min_respondents = StringField(_l("Minimum respondents"), render_kw={"inputmode": "numeric"})
    max_respondents = StringField(_l("Maximum respondents"), render_kw={"inputmode": "numeric"})
    min_responses = StringField(_l("Responses needed to show the results"), render_kw={"inputmode": "numeric"})
    days = StringField(_l("Days to answer after the launch"), render_kw={"inputmode": "numeric"})
    weight = StringField(_l("Feedback section weight (%)"), render_kw={"inputmode": "decimal"})
    questions = TextAreaField(_l("Open questions (one per line)"), render_kw={"rows": 3})

    def data_dict(self) -> dict:
        numbers = {
            name: getattr(self, name).data
            for name in ("min_respondents", "max_respondents", "min_responses", "days", "weight")
        }
        return {
            "enabled": bool(self.enabled.data),
            "anonymous": bool(self.anonymous.data),
            **{name: value for name, value in numbers.items() if (value or "").strip()},  # blank: the default
            "questions": [q for q in (self.questions.data or "").splitlines() if q.strip()],
        }

    def fill(self, data: dict) -> None:
        for name in ("enabled", "anonymous"):
            getattr(self, name).data = bool(data.get(name))
        for name in ("min_respondents", "max_respondents", "min_responses", "days", "weight"):
            getattr(self, name).data = plain(data.get(name))
        self.questions.data = "\n".join(data.get("questions") or [])


class GoalsSettingsForm(Form):
    """A template's individual goals section (``services.templates.clean_goals``)."""

    enabled = BooleanField(_l("Individual goals, scored as a section"))
    weight = StringField(_l("Goals section weight (%)"), render_kw={"inputmode": "decimal"})

    def data_dict(self) -> dict:
        return {
            "enabled": bool(self.enabled.data),
            **({"weight": self.weight.data} if (self.weight.data or "").strip() else {}),
        }

    def fill(self, data: dict) -> None:
        self.enabled.data, self.weight.data = bool(data.get("enabled")), plain(data.get("weight"))


class NominationForm(FlaskForm):
    employee_no = StringField(_l("Employee number"))
    relation = SelectField(_l("Relation"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="feedback", **kwargs)
        self.relation.choices = FeedbackRelation.choices()


class TemplateForm(FlaskForm):
    version = HiddenField()
    name = StringField(lazy_pgettext("thing", "Name"), validators=[InputRequired(), Length(max=120)])
    kpi_weight = StringField(_l("KPI section weight (%)"), render_kw={"inputmode": "decimal"})
    competency_weight = StringField(_l("Competency section weight (%)"), render_kw={"inputmode": "decimal"})
    levels = SelectField(_l("Rating levels"), choices=[], default="5")
    scale = FieldList(FormField(LevelForm), min_entries=10, max_entries=10)
    bands = FieldList(FormField(BandForm), min_entries=8, max_entries=8)
    outcomes = FieldList(FormField(OutcomeForm), min_entries=12, max_entries=12)
    self_review = SelectField(
        _l("Self-review"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Whatever is chosen, an employee without an account skips it, unless HR enters their paper self-review."
        ),
    )
    reviewer_enters_self_review = BooleanField(
        _l("The reviewer may enter a paper self-review on the employee’s behalf (HR always may)")
    )
    feedback = FormField(FeedbackSettingsForm)  # 360° feedback (issue 18): fields feedback-<name>
    goals = FormField(GoalsSettingsForm)  # individual goals (issue 18): fields goals-<name>
    submit = SubmitField(_l("Save template"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels.choices = [(str(n), str(n)) for n in range(2, 11)]
        self.self_review.choices = SelfReviewMode.choices()

    def data_dict(self) -> dict:
        return {
            "name": self.name.data,
            "kpi_weight": self.kpi_weight.data,
            "competency_weight": self.competency_weight.data,
            "levels": self.levels.data,
            "scale": [{"label": e.form.label.data, "description": e.form.description.data} for e in self.scale],
            "bands": [
                {
                    "band": e.form.band.data,
                    "min": e.form.min.data,
                    "guide_min": e.form.guide_min.data,
                    "guide_max": e.form.guide_max.data,
                    "bonus": e.form.bonus.data,
                    "salary_raise": e.form.salary_raise.data,
                }
                for e in self.bands
            ],
            "outcomes": [{"code": e.form.code.data, "label": e.form.label.data} for e in self.outcomes],
            "self_review": self.self_review.data,
            "reviewer_enters_self_review": bool(self.reviewer_enters_self_review.data),
            "feedback": self.feedback.form.data_dict(),
            "goals": self.goals.form.data_dict(),
        }

    def fill(self, data: dict) -> None:
        self.name.data = data["name"]
        self.kpi_weight.data = plain(data["kpi_weight"])
        self.competency_weight.data = plain(data["competency_weight"])
        self.levels.data = str(data.get("levels") or len(data["scale"]))
        for entry, level in zip(self.scale, data["scale"]):
            entry.form.label.data, entry.form.description.data = level["label"], level["description"]
        for entry, band in zip(self.bands, data["bands"]):
            entry.form.band.data, entry.form.min.data = band["band"], plain(band["min"])
            entry.form.guide_min.data, entry.form.guide_max.data = band.get("guide_min"), band.get("guide_max")
            entry.form.bonus.data, entry.form.salary_raise.data = band.get("bonus"), band.get("salary_raise")
        for entry, outcome in zip(self.outcomes, data["outcomes"]):
            entry.form.code.data, entry.form.label.data = outcome["code"], outcome["label"]
        self.self_review.data = data.get("self_review") or SelfReviewMode.REQUIRED.value
        self.reviewer_enters_self_review.data = bool(data.get("reviewer_enters_self_review"))
        self.feedback.form.fill(data.get("feedback") or {})
        self.goals.form.fill(data.get("goals") or {})


class StepForm(FlaskForm):
    """The self-review and manager-review forms: the version, the overall comment and outcome;
    the rows (``kpi-<i>-actual``, ``kpi-<i>-comment``, ``rating-<i>``, ``rating-<i>-comment``) are
    read by ``rows()``, since their number depends on the review."""

    version = HiddenField()
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 4})
    outcome = SelectField(_l("Proposed outcome"), choices=[], validate_choice=False)


class CalibrationForm(FlaskForm):
    version = HiddenField()
    calibrated_band = SelectField(_l("Calibrated band"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 3})


class ReopenForm(FlaskForm):
    version = HiddenField()
    step = SelectField(_l("Reopen at"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 3})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.step.choices = [(s.value, s.label) for s in REOPEN_STEPS]


class ReviewerForm(FlaskForm):
    version = HiddenField()
    reviewer_no = StringField(_l("Reviewer's employee number"))


class ExclusionForm(FlaskForm):
    """Remove a review from a running cycle (``employee_no`` unused), or exclude an employee
    from a cycle before its launch."""

    version = HiddenField()
    employee_no = StringField(_l("Employee number"))
    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 2})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", "—")] + ExclusionReason.choices()


class LaunchForm(FlaskForm):
    version = HiddenField()
    confirm_overlap = BooleanField(_l("Launch anyway: these employees get a second review for an overlapping period"))


class VersionForm(FlaskForm):
    """A workflow button that carries the version it was based on."""

    version = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"))
    number_format = SelectField(
        _l("Numbers in the file are written as"), choices=FORMAT_CHOICES, default="auto", description=FORMAT_DESCRIPTION
    )
    rows = HiddenField()  # the checked rows of the preview, sent back to apply them


class PlanForm(FlaskForm):
    """An improvement plan's content. Check-in dates are typed as ISO dates separated by commas
    or spaces (``dates()`` reads them, marking the field when one is not a date)."""

    version = HiddenField()
    objectives = TextAreaField(_l("Objectives"), render_kw={"rows": 5})
    support = TextAreaField(_l("Support given"), render_kw={"rows": 3})
    owner_no = StringField(
        _l("Owner's employee number"), description=_l("Who follows the plan (the reviewer, by default).")
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    checkin_dates = StringField(
        _l("Check-in dates"), description=_l("Dates such as 2027-01-15, separated by commas or spaces.")
    )

    def dates(self) -> list[date] | None:
        found = []
        for token in (self.checkin_dates.data or "").replace("，", ",").replace(",", " ").split():
            try:
                found.append(date.fromisoformat(token))
            except ValueError:
                self.checkin_dates.errors = [
                    *self.checkin_dates.errors,
                    _l("“%(text)s” is not a date (write it as 2027-01-15).", text=token),
                ]
                return None
        return found


class CheckInForm(FlaskForm):
    version = HiddenField()
    on = DateField(_l("Date"), validators=[Optional()])
    comment = TextAreaField(_l("What the check-in found"), render_kw={"rows": 3})


class ClosePlanForm(FlaskForm):
    version = HiddenField()
    result = SelectField(_l("Result"), choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 3})
    new_end = DateField(_l("New end date (when extended)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.result.choices = [("", "—")] + [(s.value, s.label) for s in PlanStatus if s != PlanStatus.OPEN]
