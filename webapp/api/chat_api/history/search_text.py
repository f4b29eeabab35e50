"""How a history search matches and what excerpt it shows: one rule for every backend.

A query is split on whitespace into terms; a conversation matches when every term occurs,
after `str.casefold()`, in its title or in at least one of its messages. Casefolding (not
`lower()`) is what makes "STRASSE" find "Straße" and "ZÜRICH" find "zürich". Terms are plain
substrings: no wildcards, so "%" and "_" only ever match themselves.

The excerpt comes from a message when one matches, because the title is on screen anyway
and the message lets the reader jump to the place: the oldest message holding every term,
else the oldest holding any term, else the title.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Long enough for a sentence or two on either side, short enough for one line of a list.
SNIPPET_CHARS = 160
ELLIPSIS = "…"
# How far from a cut the excerpt may move to start or end on a whole word.
_WORD_SNAP_CHARS = 20


def query_terms(query: str) -> list[str]:
    """The casefolded terms of `query`, each once, in query order; [] for a blank query."""
    terms: list[str] = []
    for word in query.split():
        term = word.casefold()
        if term not in terms:
            terms.append(term)
    return terms


def fold(text: str) -> str:
    return text.casefold()


def contains_all(terms: Sequence[str], folded: str) -> bool:
    return all(term in folded for term in terms)


def contains_any(terms: Sequence[str], folded: str) -> bool:
    return any(term in folded for term in terms)


@dataclass(frozen=True)
class TextMatch:
    snippet: str
    # The message the snippet comes from; None when it comes from the title.
    message_id: str | None


def match_conversation(
    terms: Sequence[str], title: str, messages: Iterable[tuple[str, str]]
) -> TextMatch | None:
    """Match a conversation held in memory: `messages` as (id, content), oldest first.

    For backends that cannot search on the server; returns None when it does not match.
    """
    if not terms:
        return None
    folded_title = fold(title)
    unmatched = {term for term in terms if term not in folded_title}
    first_all: tuple[str, str] | None = None
    first_any: tuple[str, str] | None = None
    for message_id, content in messages:
        folded = fold(content)
        present = {term for term in terms if term in folded}
        if not present:
            continue
        unmatched -= present
        if first_any is None:
            first_any = (message_id, content)
        if len(present) == len(terms):
            first_all = (message_id, content)
            break
    if unmatched:
        return None
    chosen = first_all or first_any
    if chosen is None:
        return TextMatch(snippet(title, terms), None)
    return TextMatch(snippet(chosen[1], terms), chosen[0])


def snippet(text: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around the earliest occurrence of any term, on one
    line, with "…" where it was cut."""
    folded = fold(text)
    found = [(at, -len(term)) for term in terms if (at := folded.find(term)) >= 0]
    if found:
        at, negative_length = min(found)
        start, end = _original_span(text, folded, at, at - negative_length)
    else:
        start, end = 0, 0
    low, high = _window(len(text), start, end, width)
    if low > 0:
        low = _snap_forward(text, low, limit=start)
    if high < len(text):
        high = _snap_backward(text, high, limit=end)
    excerpt = " ".join(text[low:high].split())
    return (ELLIPSIS if low > 0 else "") + excerpt + (ELLIPSIS if high < len(text) else "")


def _original_span(text: str, folded: str, start: int, end: int) -> tuple[int, int]:
    """Map a span of the casefolded text back onto `text`."""
    if len(folded) == len(text):
        # Casefolding never shrinks a character, so equal lengths mean one-to-one.
        return start, end
    offsets: list[int] = []
    position = 0
    for char in text:
        offsets.append(position)
        position += len(char.casefold())
    return bisect_right(offsets, start) - 1, bisect_left(offsets, end)


def _window(length: int, start: int, end: int, width: int) -> tuple[int, int]:
    if end - start >= width:
        return start, min(length, start + width)
    low = max(0, start - (width - (end - start)) // 2)
    high = min(length, low + width)
    # Near the end of the text, spend the unused room before the match instead.
    return max(0, high - width), high


def _snap_forward(text: str, low: int, *, limit: int) -> int:
    space = text.find(" ", low, min(limit, low + _WORD_SNAP_CHARS))
    return low if space < 0 else space + 1


def _snap_backward(text: str, high: int, *, limit: int) -> int:
    space = text.rfind(" ", max(limit, high - _WORD_SNAP_CHARS), high)
    return high if space < 0 else space
