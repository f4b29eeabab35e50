"""The models users choose from: MODEL_CATALOG, a JSON list an admin writes in one app
setting, or else the one model of the provider's settings.

    [{"id": "gpt-5.4-mini", "name": "Fast", "description": "Quick everyday answers",
      "context_tokens": 400000, "answer_tokens": 8192},
     {"id": "o4-mini", "name": "Reasoning", "reasoning": true}]

`id` is what the provider calls the model (the deployment name on Azure). The first entry
is the default. Each problem names its entry, so an admin can find it in a long list.
"""

from __future__ import annotations

import json
from typing import Any

from chat_api.model_profiles import ModelProfile, looks_like_reasoning_model

MAX_MODELS = 20
_FIELDS = {"id", "name", "description", "reasoning", "context_tokens", "answer_tokens"}
_TEXT_LIMITS = {"id": 200, "name": 60, "description": 200}
_CONTEXT_RANGE = (1024, 10_000_000)
_ANSWER_RANGE = (1, 1_000_000)


def parse_model_catalog(
    raw: str, defaults: ModelProfile, problems: list[str]
) -> tuple[ModelProfile, ...]:
    """The catalog's models, or `(defaults,)` after adding to `problems` when it is wrong.

    `defaults` gives the context and answer budgets of entries that do not set them.
    """
    try:
        entries = json.loads(raw)
    except ValueError as error:
        problems.append(
            f"MODEL_CATALOG is not valid JSON (line {error.lineno}, column {error.colno})"
            if isinstance(error, json.JSONDecodeError)
            else "MODEL_CATALOG is not valid JSON"
        )
        return (defaults,)
    if not isinstance(entries, list) or not entries:
        problems.append("MODEL_CATALOG must be a JSON list with at least one model")
        return (defaults,)
    if len(entries) > MAX_MODELS:
        problems.append(f"MODEL_CATALOG may list at most {MAX_MODELS} models")
        return (defaults,)
    models: list[ModelProfile] = []
    for number, entry in enumerate(entries, start=1):
        where = f"MODEL_CATALOG entry {number}{_named(entry)}"
        model = _parse_entry(entry, defaults)
        if isinstance(model, str):
            problems.append(f"{where}: {model}")
            continue
        if any(seen.id == model.id for seen in models):
            problems.append(f'{where}: the id "{model.id}" is listed twice')
        models.append(model)
    return tuple(models) if len(models) == len(entries) else (defaults,)


def _named(entry: object) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return f' ("{entry["id"]}")'
    return ""


def _parse_entry(entry: object, defaults: ModelProfile) -> ModelProfile | str:
    """The model, or what is wrong with the entry."""
    if not isinstance(entry, dict):
        return "must be an object"
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        return f"unknown field {unknown[0]!r} (known: {', '.join(sorted(_FIELDS))})"
    texts: dict[str, str] = {}
    for field, limit in _TEXT_LIMITS.items():
        value = entry.get(field, "")
        if not isinstance(value, str) or len(value.strip()) > limit:
            return f"{field} must be text of at most {limit} characters"
        texts[field] = value.strip()
    if not texts["id"]:
        return "id is required"
    reasoning = entry.get("reasoning", looks_like_reasoning_model(texts["id"]))
    if not isinstance(reasoning, bool):
        return "reasoning must be true or false"
    context = _whole_number(entry, "context_tokens", defaults.context_tokens, _CONTEXT_RANGE)
    # A small model keeps a quarter of its window for the answer unless told otherwise.
    default_answer = min(defaults.answer_tokens, (context or defaults.context_tokens) // 4)
    answer = _whole_number(entry, "answer_tokens", default_answer, _ANSWER_RANGE)
    for field, value, (low, high) in (
        ("context_tokens", context, _CONTEXT_RANGE),
        ("answer_tokens", answer, _ANSWER_RANGE),
    ):
        if value is None:
            return f"{field} must be a whole number from {low:,} to {high:,}"
    assert context is not None and answer is not None
    if answer >= context:
        return "answer_tokens must be smaller than context_tokens"
    return ModelProfile(
        id=texts["id"],
        reasoning=reasoning,
        context_tokens=context,
        answer_tokens=answer,
        name=texts["name"] or texts["id"],
        description=texts["description"],
    )


def _whole_number(
    entry: dict[str, Any], field: str, default: int, bounds: tuple[int, int]
) -> int | None:
    value = entry.get(field, default)
    # JSON true is an int to Python; it is not a token count.
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if bounds[0] <= value <= bounds[1] else None
