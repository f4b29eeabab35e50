"""What the user is told when an assistant cannot be read or changed. Store failures that
are not about assistants (unavailable, too large, history switched off) read as they do
for conversations (history_problems.py)."""

from __future__ import annotations

from chat_api.assistants.models import MAX_OWNED_PER_USER
from chat_api.assistants.store import NotOwner, TooManyAssistants
from chat_api.history.factory import HistoryDisabled
from chat_api.history.store import Conflict, HistoryError, NotFound
from chat_api.history_problems import problem_for as history_problem_for
from chat_api.problems import Problem, invalid_request


def problem_for(error: HistoryError | HistoryDisabled) -> Problem:
    if isinstance(error, NotFound):
        # The same for one that does not exist and one that is someone else's and private:
        # the answer must not tell which.
        return Problem(
            "not-found",
            404,
            "Assistant not found",
            "That assistant does not exist, or it is not shared with you.",
        )
    if isinstance(error, NotOwner):
        return Problem(
            "not-owner", 403, "Not your assistant", "Only its owner can change this assistant."
        )
    if isinstance(error, Conflict):
        return Problem(
            "conflict",
            412,
            "Changed elsewhere",
            "This assistant was changed in another window. Reload it and try again.",
        )
    if isinstance(error, TooManyAssistants):
        return Problem(
            "too-many-assistants",
            409,
            "Too many assistants",
            f"You already have {MAX_OWNED_PER_USER} assistants, the most one person can "
            "have. Delete one to make another.",
        )
    return history_problem_for(error)


def admins_only() -> Problem:
    return Problem(
        "admin-only", 403, "Admins only", "Only an administrator can feature assistants."
    )


def unknown_model(known: list[str]) -> Problem:
    return invalid_request(
        "That model is not available here.",
        [{"field": "model", "message": "must be one of " + ", ".join(known)}],
    )
