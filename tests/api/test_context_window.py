from __future__ import annotations

import pytest

from chat_api.context_window import (
    ConversationTooLong,
    estimate_tokens,
    fit_to_window,
    message_tokens,
)


def _turns(n: int, size: int = 300) -> list[tuple[str, str]]:
    return [("user" if i % 2 == 0 else "assistant", f"{i:04d} " + "x" * size) for i in range(n)]


def test_everything_is_sent_when_it_fits() -> None:
    history = _turns(5)
    fitted = fit_to_window("Be brief.", history, context_tokens=100_000, answer_tokens=1000)
    assert fitted.omitted == 0
    assert [m["role"] for m in fitted.messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]


def test_oldest_turns_go_first_and_the_newest_and_system_stay() -> None:
    history = _turns(301)  # a long conversation, newest last (a user message)
    budget = 10 * message_tokens(history[0][1]) + 1000 + message_tokens("Be brief.")
    fitted = fit_to_window("Be brief.", history, context_tokens=budget, answer_tokens=1000)
    assert fitted.messages[0] == {"role": "system", "content": "Be brief."}
    assert fitted.messages[-1]["content"] == history[-1][1]
    assert fitted.omitted == 301 - (len(fitted.messages) - 1)
    assert fitted.omitted > 280
    kept = [m["content"] for m in fitted.messages[1:]]
    assert kept == [content for _, content in history[-len(kept) :]], "kept a contiguous tail"


def test_the_window_never_opens_on_an_answer() -> None:
    history = _turns(7)
    # Room for exactly the last three messages: assistant, user... trimmed to start on a user.
    budget = 3 * message_tokens(history[0][1]) + 10
    fitted = fit_to_window(None, history, context_tokens=budget + 10, answer_tokens=10)
    assert fitted.messages[0]["role"] == "user"


def test_a_newest_message_that_alone_overflows_is_refused() -> None:
    with pytest.raises(ConversationTooLong):
        fit_to_window(None, [("user", "x" * 30_000)], context_tokens=5_000, answer_tokens=1_000)


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        # Real tokenisers average ~4 bytes a token in English and ~1 token per CJK character;
        # the estimate must not fall below either.
        ("The quick brown fox jumps over the lazy dog. " * 20, 45 * 20 // 4),
        ("東京の天気は晴れです。" * 20, 11 * 20),
        ("def f(x):\n    return x * 2\n" * 20, 27 * 20 // 4),
    ],
)
def test_the_estimate_errs_high(text: str, at_least: int) -> None:
    assert estimate_tokens(text) >= at_least
