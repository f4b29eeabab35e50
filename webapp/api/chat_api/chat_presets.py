"""A chat started from a persona or a custom assistant: its system prompt and settings,
under whatever the request itself sets.

A saved conversation copies them when it starts (and remembers which one, at which
version), so editing the assistant later never changes a conversation already under way.
A temporary chat names the persona or assistant with every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chat_api import problems
from chat_api.app_state import AppState
from chat_api.history.models import AssistantRef
from chat_api.history.store import NotFound
from chat_api.model_profiles import ModelProfile
from chat_api.schemas import ChatRequest


@dataclass(frozen=True)
class Preset:
    ref: AssistantRef
    system: str
    model: str | None
    temperature: float | None
    max_tokens: int | None


async def preset_for(state: AppState, user_id: str, request: ChatRequest) -> Preset | None:
    """The persona or assistant the request names, or None; a Problem when it is not one
    this user may use."""
    if request.persona_id is not None:
        persona = state.personas.get(request.persona_id)
        if persona is None:
            raise problems.invalid_request(
                "That persona is not in this organisation's catalog.",
                [{"field": "persona_id", "message": "is not a known persona"}],
            )
        return Preset(
            ref=AssistantRef("persona", persona.id, persona.name),
            system=persona.system,
            model=None,
            temperature=persona.temperature,
            max_tokens=None,
        )
    if request.assistant_id is not None:
        store = await state.assistants.get()
        try:
            assistant = await store.get_assistant(user_id, request.assistant_id)
        except NotFound:
            raise problems.Problem(
                "not-found",
                404,
                "Assistant not found",
                "That assistant does not exist, or its owner has not shared it with you.",
            ) from None
        return Preset(
            ref=AssistantRef("assistant", assistant.id, assistant.name, assistant.version),
            system=assistant.system_prompt,
            model=assistant.model,
            temperature=assistant.temperature,
            max_tokens=assistant.max_tokens,
        )
    return None


def with_preset(
    request: ChatRequest, preset: Preset | None, models: Sequence[ModelProfile]
) -> ChatRequest:
    """The request with the preset's settings where the request sets none. A model the
    admin has since removed from the catalog gives way to the default, as for a saved
    conversation."""
    if preset is None:
        return request
    offered = preset.model is not None and any(m.id == preset.model for m in models)
    return request.model_copy(
        update={
            "system": request.system if request.system is not None else preset.system,
            "model": request.model or (preset.model if offered else None),
            "temperature": request.temperature
            if request.temperature is not None
            else preset.temperature,
            "max_tokens": request.max_tokens
            if request.max_tokens is not None
            else preset.max_tokens,
        }
    )
