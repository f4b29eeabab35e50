"""The mock's deterministic answers, and how they are cut into tokens.

Replies never depend on the prompt's wording beyond `echo`: faults and texts are chosen by
the behaviour queue, so a test states what it expects instead of hiding it in a prompt.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

MARKDOWN_SAMPLE = r"""## Streaming a chat answer

A short tour with **three languages**, a table, some math and `inline code`, so a
renderer meets everything it must handle.

### The request

| Field | Type | Required | Notes |
|:------|:----:|:--------:|------:|
| `model` | string | yes | the deployment name on Azure |
| `messages` | array | yes | oldest first |
| `stream` | boolean | no | `true` sends server-sent events |

### Python

```python
from openai import OpenAI

client = OpenAI(base_url="http://127.0.0.1:7077/v1", api_key="local")
stream = client.chat.completions.create(
    model="gpt-4.1-mini",
    messages=[{"role": "user", "content": "Hello"}],
    stream=True,
)
for chunk in stream:
    if chunk.choices:
        print(chunk.choices[0].delta.content or "", end="")
```

### TypeScript

```typescript
async function readAnswer(response: Response): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += value;
  }
}
```

### Bash

```bash
curl -sN http://127.0.0.1:7077/v1/chat/completions \
  -H "Content-Type: application/json" \
  -d '{"model": "gpt-4.1-mini", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}'
```

### A little math

The softmax of a score $z_i$ is $\sigma(z)_i = e^{z_i} / \sum_j e^{z_j}$, and the expected
number of tokens per second over $n$ samples is

$$
\bar{r} = \frac{1}{n} \sum_{k=1}^{n} \frac{t_k}{\Delta_k}
$$

### Checklist

1. Send the conversation, **oldest message first**.
2. Read the stream until `[DONE]`.
3. Keep the partial answer if the connection breaks:
   - show what arrived;
   - offer a *retry*.

> Streaming does not make the model faster; it makes the wait *feel* shorter, because the
> first words arrive long before the last.

Read more in the [OpenAI API reference](https://platform.openai.com/docs/api-reference/chat).
"""

# A word or a run of punctuation keeps the whitespace before it, roughly like BPE tokens do.
_PIECE = re.compile(r"\s*\w+|\s*[^\w\s]+|\s+")
MAX_TOKEN_CHARS = 6


@lru_cache(maxsize=256)
def tokenise(text: str) -> tuple[str, ...]:
    """Split `text` into small pieces whose concatenation is exactly `text`."""
    tokens: list[str] = []
    for piece in _PIECE.findall(text):
        tokens.extend(
            piece[start : start + MAX_TOKEN_CHARS]
            for start in range(0, len(piece), MAX_TOKEN_CHARS)
        )
    return tuple(tokens)


@lru_cache(maxsize=256)
def encoded_tokens(text: str) -> tuple[bytes, ...]:
    """Each token of `text` as a JSON string literal, ready to drop into a chunk template."""
    return tuple(json.dumps(token).encode() for token in tokenise(text))


def message_text(message: Any) -> str:
    """The text of one chat message: a plain string or the text parts of a content list."""
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def echo_reply(messages: Sequence[Any]) -> str:
    last_user = next(
        (m for m in reversed(messages) if isinstance(m, dict) and m.get("role") == "user"), None
    )
    return f"You said: {message_text(last_user)}"


PER_MESSAGE_OVERHEAD_TOKENS = 4


def estimate_prompt_tokens(messages: Sequence[Any]) -> int:
    """About four characters per token plus a fixed cost per message, as OpenAI's guide says."""
    return sum(math.ceil(len(message_text(m)) / 4) + PER_MESSAGE_OVERHEAD_TOKENS for m in messages)
