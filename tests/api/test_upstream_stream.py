from __future__ import annotations

import json

import pytest

from chat_api.upstream_stream import AnswerRelay, SseDataReader, UpstreamStreamError
from tests.support.sse import fold


def _chunk(content: str | None = None, finish: str | None = None) -> bytes:
    delta = {} if content is None else {"content": content}
    body = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


USAGE_JSON = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
USAGE = b"data: " + json.dumps({"choices": [], "usage": USAGE_JSON}).encode() + b"\n\n"
STREAM = (
    b'data: {"choices": [], "prompt_filter_results": []}\n\n'
    + _chunk("")
    + _chunk("Zoë")
    + _chunk(" says hi")
    + _chunk(finish="stop")
    + USAGE
    + b"data: [DONE]\n\n"
)


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
def test_payloads_survive_any_split(line_end: bytes) -> None:
    stream = STREAM.replace(b"\n", line_end)
    for cut in range(1, len(stream)):
        reader = SseDataReader()
        payloads = reader.feed(stream[:cut]) + reader.feed(stream[cut:])
        assert len(payloads) == 7, cut
        assert payloads[-1] == b"[DONE]"


def test_relay_produces_our_events() -> None:
    relay = AnswerRelay()
    out = b"".join(relay.relay(STREAM[i : i + 7]) for i in range(0, len(STREAM), 7))
    assert relay.is_finished()
    answer = fold(
        (b'event: start\ndata: {"model": "m"}\n\n' + out + relay.closing_events()).decode()
    )
    assert answer.text == "Zoë says hi"
    assert answer.finish_reason == "stop"
    assert answer.usage == USAGE_JSON


def test_comments_and_other_fields_are_ignored() -> None:
    reader = SseDataReader()
    assert reader.feed(b": keep-alive\n\nevent: x\nid: 3\ndata: {}\n\n") == [b"{}"]


def test_an_error_object_in_the_stream_is_raised() -> None:
    with pytest.raises(UpstreamStreamError):
        AnswerRelay().relay(b'data: {"error": {"message": "server overloaded"}}\n\n')
