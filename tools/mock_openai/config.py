"""Server-wide settings of the mock, and the command line that sets them."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ReplyKind = Literal["markdown", "echo", "text"]
DefaultReplyKind = Literal["markdown", "echo"]


@dataclass(frozen=True)
class MockConfig:
    """What every chat request gets unless a queued behaviour says otherwise."""

    host: str = "127.0.0.1"
    port: int = 7077
    first_token_latency_ms: int = 0
    # 0 means as fast as the event loop allows.
    tokens_per_second: float = 0.0
    reply: DefaultReplyKind = "markdown"
    # None accepts any key, or none, so the common case needs no setup.
    api_key: str | None = None


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    defaults = MockConfig()
    parser = argparse.ArgumentParser(
        prog="python -m tools.mock_openai",
        description="A local server that speaks the OpenAI chat-completions wire format.",
    )
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument(
        "--port", type=_non_negative_int, default=defaults.port, help="0 picks a free port"
    )
    parser.add_argument(
        "--first-token-latency-ms",
        type=_non_negative_int,
        default=defaults.first_token_latency_ms,
        help="delay before the response starts",
    )
    parser.add_argument(
        "--tokens-per-second",
        type=_non_negative_float,
        default=defaults.tokens_per_second,
        help="streaming pace; 0 sends as fast as possible",
    )
    parser.add_argument("--reply", choices=["markdown", "echo"], default=defaults.reply)
    parser.add_argument(
        "--api-key",
        default=None,
        help="require this key (Authorization: Bearer KEY or api-key: KEY); default: accept any",
    )
    return parser


def parse_config(argv: Sequence[str] | None = None) -> MockConfig:
    args = build_parser().parse_args(argv)
    return MockConfig(
        host=args.host,
        port=args.port,
        first_token_latency_ms=args.first_token_latency_ms,
        tokens_per_second=args.tokens_per_second,
        reply=args.reply,
        api_key=args.api_key,
    )
