"""Every API error is JSON with a `detail`; validation errors also name their fields."""
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = response.data
        field, messages = next(iter(errors.items()))
        message = messages[0] if isinstance(messages, list) and messages else messages
        response.data = {"detail": f"{field}: {message}", "errors": errors}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "; ".join(map(str, response.data)), "errors": response.data}
    return response
