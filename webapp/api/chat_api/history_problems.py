"""What the user is told when the history store fails. The store's own error text is
never shown (it can name accounts and tables)."""

from __future__ import annotations

from chat_api.history.factory import HistoryDisabled
from chat_api.history.store import (
    Conflict,
    HistoryError,
    InvalidContinuation,
    NotFound,
    StoreUnavailable,
    TooLarge,
)
from chat_api.problems import Problem


def problem_for(error: HistoryError | HistoryDisabled) -> Problem:
    if isinstance(error, HistoryDisabled):
        return Problem(
            "history-disabled",
            404,
            "No chat history here",
            "This organisation does not keep chat history. Use temporary chats.",
        )
    if isinstance(error, InvalidContinuation):
        return Problem(
            "invalid-request",
            400,
            "Invalid request",
            "That continuation is not one this list gave out. Start from the first page.",
            errors=[{"field": "continuation", "message": "is not valid"}],
        )
    if isinstance(error, NotFound):
        return Problem(
            "not-found", 404, "Conversation not found", "That conversation does not exist."
        )
    if isinstance(error, Conflict):
        return Problem(
            "conflict",
            412,
            "Changed elsewhere",
            "This conversation was changed in another window. Reload it and try again.",
        )
    if isinstance(error, TooLarge):
        return Problem("payload-too-large", 413, "Too large to save", "This is too large to save.")
    if isinstance(error, StoreUnavailable):
        return Problem(
            "history-unavailable",
            503,
            "History unavailable",
            f"Your chat history cannot be reached right now. Try again in "
            f"{error.retry_after} seconds.",
            retry_after=error.retry_after,
        )
    return Problem(
        "history-unavailable", 503, "History unavailable", "Your chat history failed. Try again."
    )
