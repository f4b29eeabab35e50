"""What the app holds for its whole life, handed to handlers through typed accessors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from starlette.requests import Request

from chat_api import problems
from chat_api.assistants.factory import AssistantStoreHolder
from chat_api.auth import PRINCIPAL_HEADER, Principal, require_role
from chat_api.history.factory import HistoryStoreHolder
from chat_api.personas import PersonaCatalog
from chat_api.settings import Settings
from chat_api.upstream_client import UpstreamClient
from chat_api.usage.enforcement import Admission
from chat_api.usage.factory import UsageStoreHolder


@dataclass
class AppState:
    settings: Settings
    upstream: UpstreamClient
    history: HistoryStoreHolder
    # Opened beside the history, with its settings (assistants/factory.py).
    assistants: AssistantStoreHolder
    # Read and checked at start-up; personas.get(id) is what a chat from a persona uses.
    personas: PersonaCatalog
    # Limits, usage, overrides and the audit log, beside the history (usage/factory.py).
    usage: UsageStoreHolder
    # Checks each chat request against the limits; None when no store keeps usage.
    admission: Admission | None = None


@dataclass
class MisconfiguredState:
    """The settings failed validation: every route answers with what to fix."""

    problems: list[str]


def app_state(request: Request) -> AppState:
    state: AppState | MisconfiguredState = request.app.state.chat
    if isinstance(state, MisconfiguredState):
        raise problems.configuration_error(state.problems)
    return state


def request_id_of(request: Request) -> str:
    request_id: str | None = getattr(request.state, "request_id", None)
    if request_id is None:
        request_id = uuid.uuid4().hex
        request.state.request_id = request_id
    return request_id


def caller(request: Request) -> tuple[AppState, Principal]:
    """The app's state and the signed-in caller, who must hold an allowed role."""
    state = app_state(request)
    principal = require_role(request.headers.get(PRINCIPAL_HEADER), state.settings.allowed_roles)
    return state, principal
