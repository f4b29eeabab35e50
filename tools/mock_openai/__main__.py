"""`python -m tools.mock_openai --help`"""

from __future__ import annotations

from tools.mock_openai.config import parse_config
from tools.mock_openai.server import serve

if __name__ == "__main__":
    serve(parse_config())
