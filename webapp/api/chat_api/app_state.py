"""What the app holds for its whole life, handed to handlers through typed accessors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from starlette.requests import Request

from chat_api import problems
from chat_api.settings import Settings
from chat_api.upstream_client import UpstreamClient


@dataclass
class AppState:
    settings: Settings
    upstream: UpstreamClient


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
