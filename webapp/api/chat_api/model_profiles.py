"""What the API knows about a model: its name and which parameters it takes.

Reasoning models (o-series, gpt-5 family) reject `temperature` and `max_tokens` and take
`max_completion_tokens` instead; sending the wrong ones is a 400 from the service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REASONING_NAME = re.compile(r"^(o\d|gpt-5)", re.IGNORECASE)


def looks_like_reasoning_model(name: str) -> bool:
    return bool(_REASONING_NAME.match(name.strip()))


@dataclass(frozen=True)
class Sampling:
    """Generation parameters as the model takes them; None means "do not send"."""

    temperature: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None


@dataclass(frozen=True)
class ModelProfile:
    id: str
    reasoning: bool
    # The context window, and the room kept in it for the answer by default.
    context_tokens: int = 128_000
    answer_tokens: int = 4_096
    # What users see in the model picker (MODEL_CATALOG); the id when not given.
    name: str = ""
    description: str = ""

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def takes_temperature(self) -> bool:
        return not self.reasoning

    def sampling(self, *, temperature: float | None, max_tokens: int | None) -> Sampling:
        """The parameters this model accepts, from what the user asked for."""
        if self.reasoning:
            return Sampling(max_completion_tokens=max_tokens)
        # Ollama and vLLM understand max_tokens; not all of them know max_completion_tokens.
        return Sampling(temperature=temperature, max_tokens=max_tokens)
