"""Name a conversation after its first answer, never before it.

Microsoft's sample asks the model for a title before the first token of a new chat, and
its users wait for it. Here the answer streams first; the title follows the `done` event.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from chat_api.model_profiles import ModelProfile

if TYPE_CHECKING:
    from chat_api.upstream_client import UpstreamClient

log = logging.getLogger("chat_api.titles")

TITLE_TIMEOUT_SECONDS = 10.0
MAX_TITLE_CHARS = 80
_INSTRUCTION = (
    "Write a title of at most six words for the conversation below. "
    "Reply with the title only, no quotes, no punctuation at the end."
)
_MARKUP = re.compile(r"[#*_`>\"“”]+")


class TitleWriter:
    def __init__(
        self,
        upstream: UpstreamClient,
        model: ModelProfile,
        on_usage: Callable[[int, int, float], Awaitable[None]] | None = None,
    ) -> None:
        self._upstream = upstream
        self._model = model
        # A title is a model call too: it is counted like one (tokens in and out, seconds).
        self._on_usage = on_usage

    async def write(self, question: str, answer: str) -> str:
        """A short title; the question's first words if the model cannot give one."""
        started = time.monotonic()
        try:
            client = await self._upstream.get()
            limit = (
                {"max_completion_tokens": 300}  # reasoning tokens count against the limit
                if self._model.reasoning
                else {"max_tokens": 24, "temperature": 0.2}
            )
            completion = await client.chat.completions.create(
                model=self._model.id,
                messages=[
                    {"role": "system", "content": _INSTRUCTION},
                    {"role": "user", "content": question[:2000]},
                    {"role": "assistant", "content": answer[:2000]},
                    {"role": "user", "content": "Title:"},
                ],
                timeout=TITLE_TIMEOUT_SECONDS,
                **limit,
            )
            title = clean_title(completion.choices[0].message.content or "")
            if self._on_usage is not None and completion.usage is not None:
                await self._on_usage(
                    completion.usage.prompt_tokens,
                    completion.usage.completion_tokens,
                    time.monotonic() - started,
                )
        except Exception as error:  # a title is a nicety: never fail the chat for it
            log.info("title generation failed: %s", type(error).__name__)
            title = ""
        return title or fallback_title(question)


def clean_title(raw: str) -> str:
    first_line = next((line for line in raw.splitlines() if line.strip()), "")
    title = " ".join(_MARKUP.sub("", first_line).split()).rstrip(".:;,")
    return title[:MAX_TITLE_CHARS].strip()


def fallback_title(question: str) -> str:
    words = " ".join(question.split()[:8])
    return (words[:MAX_TITLE_CHARS].strip() or "New chat").rstrip(".:;,")
