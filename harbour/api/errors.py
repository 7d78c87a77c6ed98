"""The API's one exception handler: every error answers in one of two shapes.

- `{"detail": "..."}` for 401, 403, 404 and the like. A 404 always says exactly "Not found.",
  whatever the exception said, so no message can reveal a hidden record.
- `{"errors": {"field": ["message", ...]}}` for 400s about the input, naming each field; nested
  input is named with dots (`aliases.0.kind`), errors about the whole input under
  `non_field_errors`. Service (Django) validation errors and serializer errors look the same.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from harbour.core.errors import ApplicationError, NotFound

NOT_FOUND = {"detail": "Not found."}


def _field_name(key) -> str:
    key = str(key)
    return api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key


def _flatten(detail, prefix: str, out: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = _field_name(key)
            _flatten(value, f"{prefix}.{name}" if prefix else name, out)
    elif isinstance(detail, list | tuple) and any(isinstance(v, dict | list | tuple) for v in detail):
        for index, value in enumerate(detail):
            if value:  # a list serializer reports {} for each valid item
                _flatten(value, f"{prefix}.{index}" if prefix else str(index), out)
    elif isinstance(detail, list | tuple):
        out.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).extend(str(v) for v in detail)
    else:
        out.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(detail))


def field_errors(exc) -> dict[str, list[str]]:
    """{"field": ["message"]} from a Django or DRF validation error."""
    out: dict[str, list[str]] = {}
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            _flatten(exc.message_dict, "", out)
        else:
            _flatten(exc.messages, "", out)
    else:
        _flatten(exc.detail, "", out)
    return out


def exception_handler(exc, context):
    if isinstance(exc, Http404 | exceptions.NotFound | NotFound):
        set_rollback()
        return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError | exceptions.ValidationError):
        set_rollback()
        return Response({"errors": field_errors(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ApplicationError):
        set_rollback()
        name = exc.field or api_settings.NON_FIELD_ERRORS_KEY
        return Response({"errors": {name: [exc.message]}}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
