"""What the user is told when the model service fails. The service's own error text goes to
the log only: it can name deployments, quote the prompt, or just confuse."""

from __future__ import annotations

import math

from chat_api.problems import Problem


def rate_limited(retry_after: float) -> Problem:
    seconds = max(1, math.ceil(retry_after))
    return Problem(
        "rate-limited",
        429,
        "Too many requests",
        f"The model is busy right now. Try again in {seconds} seconds.",
        retry_after=seconds,
    )


def unavailable() -> Problem:
    return Problem(
        "upstream-unavailable",
        502,
        "The model is unavailable",
        "The model service is not answering right now. Try again in a minute.",
    )


def timed_out() -> Problem:
    return Problem(
        "upstream-timeout",
        504,
        "The model took too long",
        "The model did not start answering in time. Try again in a minute.",
    )


def misconfigured() -> Problem:
    return Problem(
        "upstream-misconfigured",
        502,
        "The chat service is not configured correctly",
        "The model service refused this app's credentials or model name. Tell your administrator.",
    )


def content_filtered() -> Problem:
    return Problem(
        "content-filtered",
        400,
        "Blocked by the content filter",
        "Your message was blocked by your organisation's content filter. "
        "Rephrase it and try again.",
    )


def context_too_long() -> Problem:
    return Problem(
        "context-too-long",
        400,
        "Conversation too long",
        "This conversation is too long for the model. Start a new chat, or shorten or "
        "remove some messages.",
    )


def rejected() -> Problem:
    return Problem(
        "upstream-rejected",
        502,
        "The model refused the request",
        "The model service refused this request. Try rephrasing it, or start a new chat.",
    )


def stream_interrupted(*, idle: bool) -> Problem:
    reason = (
        "The model stopped sending the answer."
        if idle
        else "The connection to the model broke off."
    )
    return Problem(
        "stream-interrupted",
        502,
        "The answer was interrupted",
        f"{reason} The text so far is kept; send again to retry.",
    )
