"""Benchmarks of the chat API: per-stream overhead over the upstream, and cold import time.

Run from the repository root: `python -m bench` (everything) or `python -m bench.<module>`.
See docs/benchmarks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
API_DIR = REPO_ROOT / "webapp" / "api"

# `chat_api` lives in webapp/api, which pytest adds to the path from pyproject.toml; a plain
# `python -m bench` does not, and tests.support.servers imports `chat_api.settings`.
if str(API_DIR) not in sys.path:
    sys.path.append(str(API_DIR))
