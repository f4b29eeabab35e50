"""A local server that speaks the OpenAI chat-completions wire format, with scripted faults.

Used by the local dev stack, the tests and the benchmarks, so none of them needs Azure or
the internet. See docs/mock_openai.md.
"""

from tools.mock_openai.app import create_app
from tools.mock_openai.config import MockConfig

__all__ = ["MockConfig", "create_app"]
