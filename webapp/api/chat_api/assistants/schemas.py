"""The assistant routes' bodies, and the limits a body must keep.

pydantic checks types and ranges (schemas.validate_json words its errors); lengths are
checked here, after it, because the system prompt's limit is a setting and because every
limit should say its number in the 400 (`{"field": "name", "message": "must be at most 80
characters"}`). The numbers are also in the OpenAPI schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from chat_api import problems
from chat_api.assistants.models import (
    Assistant,
    AssistantContent,
    AssistantSummary,
    Visibility,
)

NAME_CHARS = 80
DESCRIPTION_CHARS = 300
MODEL_CHARS = 200
MAX_STARTERS = 4
STARTER_CHARS = 300
# Replaces pydantic's own `items` schema, so it says the type too.
_STARTER_SCHEMA: JsonDict = {"type": "string", "maxLength": STARTER_CHARS}


class AssistantIn(BaseModel):
    """A new assistant. `model` defaults to the deployment's default model."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(json_schema_extra={"maxLength": NAME_CHARS})
    description: str = Field(default="", json_schema_extra={"maxLength": DESCRIPTION_CHARS})
    # At most MAX_MESSAGE_CHARS characters.
    system: str = ""
    model: str | None = Field(default=None, json_schema_extra={"maxLength": MODEL_CHARS})
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    starters: list[str] = Field(
        default_factory=list,
        json_schema_extra={"maxItems": MAX_STARTERS, "items": _STARTER_SCHEMA},
    )
    visibility: Literal["private", "organisation"] = "private"


class AssistantPatchIn(BaseModel):
    """What to change; the fields left out stay. Only `temperature` and `max_tokens` may be
    null: back to the model's default."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str | None = Field(default=None, json_schema_extra={"maxLength": NAME_CHARS})
    description: str | None = Field(
        default=None, json_schema_extra={"maxLength": DESCRIPTION_CHARS}
    )
    system: str | None = None
    model: str | None = Field(default=None, json_schema_extra={"maxLength": MODEL_CHARS})
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    starters: list[str] | None = Field(
        default=None,
        json_schema_extra={"maxItems": MAX_STARTERS, "items": _STARTER_SCHEMA},
    )
    visibility: Literal["private", "organisation"] | None = None

    def applied_to(self, current: AssistantContent) -> AssistantContent:
        """The content with this patch written over it; a 400 for a null that may not be."""
        given = self.model_fields_set
        for field in given - _NULLABLE:
            if getattr(self, field) is None:
                raise _invalid(field, "must not be null")
        return AssistantContent(
            name=self.name.strip() if self.name is not None else current.name,
            description=_or(self.description, current.description),
            system_prompt=_or(self.system, current.system_prompt),
            model=_or(self.model, current.model),
            temperature=self.temperature if "temperature" in given else current.temperature,
            max_tokens=self.max_tokens if "max_tokens" in given else current.max_tokens,
            starters=current.starters if self.starters is None else tuple(self.starters),
            visibility=current.visibility
            if self.visibility is None
            else Visibility(self.visibility),
        )


_NULLABLE = frozenset({"temperature", "max_tokens"})


def _or(given: str | None, current: str) -> str:
    return current if given is None else given


class FeaturedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    featured: bool


class AssistantSummaryOut(BaseModel):
    """An assistant in a list: everything but its system prompt."""

    id: str
    name: str
    description: str
    model: str
    temperature: float | None
    max_tokens: int | None
    starters: list[str]
    visibility: Literal["private", "organisation"]
    featured: bool
    version: int
    owner_name: str
    # The caller owns it (and may edit and delete it).
    mine: bool
    created: datetime
    updated: datetime
    etag: str

    @classmethod
    def of(cls, assistant: AssistantSummary, user_id: str) -> AssistantSummaryOut:
        return cls(**_summary_fields(assistant, user_id))


class AssistantOut(AssistantSummaryOut):
    """One assistant, as its owner wrote it."""

    system: str

    @classmethod
    def of_assistant(cls, assistant: Assistant, user_id: str) -> AssistantOut:
        return cls(**_summary_fields(assistant, user_id), system=assistant.system_prompt)


class AssistantList(BaseModel):
    items: list[AssistantSummaryOut]


def check_limits(content: AssistantContent, *, max_system_chars: int) -> None:
    """A 400 naming the first field over its limit; also a name that is only spaces."""
    if not content.name.strip():
        raise _invalid("name", "must not be empty")
    for field, text, limit in (
        ("name", content.name, NAME_CHARS),
        ("description", content.description, DESCRIPTION_CHARS),
        ("system", content.system_prompt, max_system_chars),
        ("model", content.model, MODEL_CHARS),
    ):
        if len(text) > limit:
            raise _invalid(field, f"must be at most {limit:,} characters")
    if len(content.starters) > MAX_STARTERS:
        raise _invalid("starters", f"must have at most {MAX_STARTERS} items")
    for index, starter in enumerate(content.starters):
        if not starter.strip():
            raise _invalid(f"starters[{index}]", "must not be empty")
        if len(starter) > STARTER_CHARS:
            raise _invalid(f"starters[{index}]", f"must be at most {STARTER_CHARS} characters")


def _invalid(field: str, message: str) -> problems.Problem:
    return problems.invalid_request(
        f"The request is not valid ({field}): {message}.", [{"field": field, "message": message}]
    )


def _summary_fields(assistant: AssistantSummary, user_id: str) -> dict[str, Any]:
    # Never owner_id: it is the owner's identity, and "mine" says all a client needs.
    return {
        "id": assistant.id,
        "name": assistant.name,
        "description": assistant.description,
        "model": assistant.model,
        "temperature": assistant.temperature,
        "max_tokens": assistant.max_tokens,
        "starters": list(assistant.starters),
        "visibility": assistant.visibility.value,
        "featured": assistant.featured,
        "version": assistant.version,
        "owner_name": assistant.owner_name,
        "mine": assistant.owner_id == user_id,
        "created": assistant.created,
        "updated": assistant.updated,
        "etag": assistant.etag,
    }
