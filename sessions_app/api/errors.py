"""Every API error is JSON with a `detail`; validation errors also name their fields."""
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..realtime.changes import Refused
from ..realtime.update_log import SaveFailed

# Refusals by the document's checks, as HTTP statuses.
REFUSAL_STATUS = {
    "forbidden": status.HTTP_403_FORBIDDEN,
    "ended": status.HTTP_409_CONFLICT,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "queue_full": status.HTTP_503_SERVICE_UNAVAILABLE,
    "unavailable": status.HTTP_503_SERVICE_UNAVAILABLE,
}


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        code = REFUSAL_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.message, "code": exc.code}, status=code)
    if isinstance(exc, SaveFailed):
        detail = f"the change could not be saved yet (it is kept and retried): {exc}"
        return Response({"detail": detail}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
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
