from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.auth.models import EMAIL_PATTERN, Role


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class UserCreateForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address.")),
        ],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=Role.choices)
    password = PasswordField(
        _l("Temporary password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The user must choose a new password at first login."),
    )
    submit = SubmitField(_l("Create user"))


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=Role.choices)
    active = BooleanField(_l("Active (may log in)"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[Optional(), Length(max=80)],
        description=_l("What the token is for, e.g. “payroll sync”."),
    )
    submit = SubmitField(_l("Create token"))


class ConfirmForm(FlaskForm):
    """An empty form for buttons that change something: it carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()
