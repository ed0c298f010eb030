from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "field_errors"]


def field_errors(exc):
    """A ValidationError as {field: [messages]}; errors not tied to a field go under "__all__"."""
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": list(exc.messages)}
