from app.core.errors import ServiceError


def apply_errors(form, error: ServiceError) -> None:
    """Put a service's field errors next to the form's fields; the rest goes to the form top."""
    placed = False
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        form.form_errors.append(error.message)
