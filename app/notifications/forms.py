"""The notification preferences of the account page: per group, e-mail and app, or app only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import Optional

from app.notifications import kinds

CHANNELS = [("email", _l("E-mail and in the app")), ("app", _l("In the app only"))]


def preferences_form(current: dict[str, bool] | None = None, formdata=None) -> FlaskForm:
    """A form with one radio field per group (named by the group's key)."""

    class PreferencesForm(FlaskForm):
        submit = SubmitField(_l("Save preferences"))

    for key, group in kinds.GROUPS.items():
        setattr(PreferencesForm, key, RadioField(group.label, choices=CHANNELS, default="email"))
    data = {key: "email" if wanted else "app" for key, wanted in (current or {}).items()}
    if formdata is None:
        return PreferencesForm(data=data)
    return PreferencesForm(formdata=formdata)


class NotificationFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    kind = SelectField(_l("Kind"), validators=[Optional()], validate_choice=False)
    state = SelectField(
        _l("Show"),
        choices=[("", _l("All")), ("unread", _l("Unread only"))],
        validators=[Optional()],
        validate_choice=False,
    )
