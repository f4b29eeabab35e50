"""The deterministic replies and the tokeniser, without a server."""

from __future__ import annotations

import pytest

from tools.mock_openai.replies import (
    MARKDOWN_SAMPLE,
    MAX_TOKEN_CHARS,
    echo_reply,
    estimate_prompt_tokens,
    tokenise,
)


@pytest.mark.parametrize(
    "text",
    [
        MARKDOWN_SAMPLE,
        "",
        "   ",
        "word",
        "trailing spaces \n\n",
        "\ttabbed\n    indented code()",
        "ünïcode, 日本語のテキストです, emoji 🎉🎉🎉🎉🎉🎉🎉!",
        "supercalifragilisticexpialidocious",
    ],
)
def test_tokens_concatenate_back_to_the_exact_text(text: str) -> None:
    tokens = tokenise(text)
    assert "".join(tokens) == text
    assert all(0 < len(token) <= MAX_TOKEN_CHARS for token in tokens)


def test_tokenising_is_deterministic_and_word_shaped() -> None:
    assert tokenise("Hello, world! Streaming") == ("Hello", ",", " world", "!", " Strea", "ming")
    assert tokenise(MARKDOWN_SAMPLE) == tokenise(str(MARKDOWN_SAMPLE))


def test_markdown_sample_exercises_every_renderer_feature() -> None:
    assert 400 <= len(tokenise(MARKDOWN_SAMPLE)) <= 600
    for feature in (
        "\n## ",  # heading
        "|:------|:----:|",  # GFM table with alignments
        "```python\n",
        "```typescript\n",
        "```bash\n",
        " $z_i$ ",  # inline math
        "\n$$\n",  # block math
        "](https://",  # link
        "\n1. ",  # ordered list
        "\n   - ",  # nested list
        "\n> ",  # blockquote
        "`inline code`",
    ):
        assert feature in "\n" + MARKDOWN_SAMPLE, feature


def test_echo_uses_the_last_user_message() -> None:
    messages = [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "answer"},
        {
            "role": "user",
            "content": [{"type": "text", "text": "sec"}, {"type": "text", "text": "ond"}],
        },
        {"role": "assistant", "content": "trailing"},
    ]
    assert echo_reply(messages) == "You said: second"


def test_prompt_token_estimate_is_a_quarter_of_the_characters_plus_four_per_message() -> None:
    messages = [{"role": "system", "content": "x" * 9}, {"role": "user", "content": "abcd"}]
    assert estimate_prompt_tokens(messages) == (3 + 4) + (1 + 4)
