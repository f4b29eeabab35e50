"""Table Storage failures as the store's own errors.

The SDK's text never leaves the store: it can name the account and the table, and the API
answers from the error's type alone (history_problems.py). The original stays chained as
`__cause__` for the log.

The SDK is imported inside the functions: see TableHistoryStore.open.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from chat_api.history.store import Conflict, HistoryError, NotFound, StoreUnavailable, TooLarge

DEFAULT_RETRY_AFTER_SECONDS = 5
# Worth one quick retry: the service asked for no more of a wait than this.
SHORT_WAIT_SECONDS = 1.0

_BUSY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# The request was turned away before anything was done, so sending it again is safe even
# for a write that is not idempotent (a create).
_REFUSED_STATUSES = frozenset({429, 503})
_TOO_LARGE_CODES = frozenset(
    {"EntityTooLarge", "PropertyValueTooLarge", "RequestBodyTooLarge", "TooManyProperties"}
)


def translate(error: Exception) -> HistoryError | None:
    """The store error for a failure of the SDK; None for anything else (a bug)."""
    from azure.core.exceptions import AzureError, HttpResponseError

    if not isinstance(error, AzureError):
        return None
    if isinstance(error, HttpResponseError) and error.status_code is not None:
        return _from_status(error, error.status_code)
    # No answer at all: connection refused or reset, DNS, a time-out, or a credential that
    # could not get a token.
    return StoreUnavailable(DEFAULT_RETRY_AFTER_SECONDS)


def safe_to_retry(error: Exception) -> bool:
    """Whether sending the same request again at once can help and cannot do harm."""
    from azure.core.exceptions import (
        HttpResponseError,
        ServiceRequestError,
        ServiceRequestTimeoutError,
    )

    if isinstance(error, ServiceRequestTimeoutError):
        # Waiting for a connection again would double the wait before the API can answer.
        return False
    if isinstance(error, ServiceRequestError):
        # Almost always the request never reached the service: the connection was refused,
        # or the service had closed a pooled one. In the rare case a write did land, its
        # ETag condition or the row it created makes the second try fail safely (Conflict).
        return True
    if isinstance(error, HttpResponseError) and error.status_code in _REFUSED_STATUSES:
        wait = _retry_after(error)
        return wait is None or wait <= SHORT_WAIT_SECONDS
    return False


def _from_status(error: Exception, status: int) -> HistoryError:
    code = _error_code(error)
    if status == 404:
        if code == "TableNotFound":
            # Someone deleted the table: a broken deployment, not a missing conversation.
            return StoreUnavailable(DEFAULT_RETRY_AFTER_SECONDS)
        return NotFound("no such row")
    if status in (409, 412):
        return Conflict("the row changed or already exists")
    if status == 413 or code in _TOO_LARGE_CODES:
        return TooLarge("the service refused the size of the request")
    if status in _BUSY_STATUSES or status in (401, 403):
        # 401/403 are a deployment problem (a key or a role assignment), not the user's.
        wait = _retry_after(error)
        seconds = DEFAULT_RETRY_AFTER_SECONDS if wait is None else max(1, math.ceil(wait))
        return StoreUnavailable(seconds)
    return HistoryError(f"table storage answered {status} {code or ''}".rstrip())


def _error_code(error: Exception) -> str | None:
    code = getattr(error, "error_code", None)
    if code is None:
        code = _header(error, "x-ms-error-code")
    # The SDK's TableErrorCode is a str enum: take its value, not "TableErrorCode.X".
    return None if code is None else str(getattr(code, "value", code))


def _retry_after(error: Exception) -> float | None:
    """Seconds the service asked us to wait, from Retry-After (seconds or an HTTP date) or
    the millisecond headers Cosmos DB sends."""
    value = _header(error, "retry-after")
    if value is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, (moment - datetime.now(UTC)).total_seconds())
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        value = _header(error, name)
        if value is not None:
            try:
                return max(0.0, float(value) / 1000)
            except ValueError:
                return None
    return None


def _header(error: Exception, name: str) -> str | None:
    response = getattr(error, "response", None)
    if response is None:
        return None
    value = response.headers.get(name)
    return None if value is None else str(value)
