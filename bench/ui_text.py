"""Realistic Markdown for the browser benchmark: a long answer and a 300-message export.

Deterministic (a seeded RNG): every run renders the same text.
"""

from __future__ import annotations

import random
from typing import Any

from tools.mock_openai.replies import tokenise

_VOCABULARY = (
    "the request goes through the gateway before the function reads its settings and "
    "checks the caller's role then the answer streams back token by token while the "
    "history store saves each message with its status so a later visit shows exactly "
    "what was said including stopped and failed answers a table lists the options and "
    "the code below shows how the client retries after a rate limit with a short wait "
    "storage costs stay small because conversations are compact and old ones can be "
    "archived or deleted by their owner at any time without touching anyone else's data"
)
_WORDS = tuple(_VOCABULARY.split())

_CODE_PY = """```python
async def fetch_with_retry(client: httpx.AsyncClient, url: str, attempts: int = 3) -> dict:
    for attempt in range(attempts):
        response = await client.get(url, timeout=10.0)
        if response.status_code != 429:
            response.raise_for_status()
            return response.json()
        wait = float(response.headers.get("retry-after", "1"))
        await asyncio.sleep(min(wait, 2 ** attempt))
    raise RuntimeError(f"gave up on {url} after {attempts} attempts")
```"""

_CODE_TS = """```ts
export function groupByDay(items: readonly Item[], now: Date): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = label(item.updated, now);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}
```"""

_CODE_SH = """```bash
az staticwebapp appsettings set --name chat-on-azure \\
  --setting-names HISTORY_STORE=table ALLOWED_ROLES=invited
npm --prefix webapp run build && swa deploy webapp/dist --env production
```"""

_TABLE = """| setting | default | what it does |
|---|---|---|
| `HISTORY_STORE` | `sqlite` | where conversations are saved |
| `ALLOWED_ROLES` | `invited` | roles that may use the API |
| `MAX_MESSAGES` | `500` | most messages in one request |
| `MODEL_CONTEXT_TOKENS` | `128000` | the model's context window |"""

_MATH = (
    "The cost grows as $O(n \\log n)$ and the mean is\n\n"
    "$$\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i$$"
)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.25:
        i = rng.randrange(len(words))
        words[i] = f"`{words[i]}`"
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    return " ".join(words) + rng.choice((".", ".", ".", ",", ";", "?"))[0]


def _paragraph(rng: random.Random) -> str:
    text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
    return text.rstrip(",;") + ("" if text.endswith((".", "?")) else ".")


def _list(rng: random.Random) -> str:
    marker = rng.choice(("-", "1."))
    return "\n".join(f"{marker} {_sentence(rng)}" for _ in range(rng.randint(3, 6)))


def _block(rng: random.Random, index: int) -> str:
    kind = index % 12
    if kind in (0, 4, 8):
        return f"## Part {index // 12 + 1}.{kind // 4 + 1}\n\n{_paragraph(rng)}"
    if kind in (2, 9):
        return _list(rng)
    if kind == 5:
        return rng.choice((_CODE_PY, _CODE_TS, _CODE_SH))
    if kind == 7 and index % 36 == 7:
        return _TABLE
    if kind == 11 and index % 48 == 11:
        return _MATH
    return _paragraph(rng)


def long_answer(target_tokens: int, seed: int = 20_000) -> tuple[str, int]:
    """Markdown of about `target_tokens` mock tokens (never fewer); returns it and its count."""
    rng = random.Random(seed)
    blocks: list[str] = []
    tokens = 0
    index = 0
    while tokens < target_tokens:
        block = _block(rng, index)
        blocks.append(block)
        tokens += len(tokenise("\n\n" + block))
        index += 1
    text = "\n\n".join(blocks)
    return text, len(tokenise(text))


def conversation_export(messages: int, seed: int = 300) -> dict[str, Any]:
    """An `ExportedConversation` body: alternating questions and answers of realistic sizes.

    Questions are one to three sentences; answers 1 to 6 blocks (a code block in about one
    answer in five, a list in about one in three), i.e. a few hundred to ~2,500 characters.
    """
    rng = random.Random(seed)
    body: list[dict[str, Any]] = []
    for i in range(messages):
        if i % 2 == 0:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
            body.append({"role": "user", "content": text})
        else:
            blocks = [_paragraph(rng)]
            for _ in range(rng.randint(0, 5)):
                roll = rng.random()
                if roll < 0.07:
                    blocks.append(rng.choice((_CODE_PY, _CODE_TS, _CODE_SH)))
                elif roll < 0.2:
                    blocks.append(_list(rng))
                else:
                    blocks.append(_paragraph(rng))
            body.append(
                {"role": "assistant", "content": "\n\n".join(blocks), "model": "gpt-4.1-mini"}
            )
    return {
        "format": "chat-on-azure/conversation",
        "version": 1,
        "title": f"Benchmark: {messages} messages",
        "messages": body,
    }
