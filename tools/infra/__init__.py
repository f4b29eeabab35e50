"""The "Deploy to Azure" templates, generated from one source.

`python -m tools.infra.generate` writes `infrastructure/azuredeploy-*.json` and the button
links in README.md and docs/deploy.md; tests/infrastructure checks that they are current.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
API_DIR = REPO_ROOT / "webapp" / "api"

# The app settings the templates write come from chat_api's own settings catalog. pytest and
# mypy put webapp/api on the path; a plain `python -m tools.infra.generate` does not.
if str(API_DIR) not in sys.path:
    sys.path.append(str(API_DIR))
