"""The "Deploy to Azure" buttons: portal links to the raw URLs of the committed templates.

A fork changes REPOSITORY (and BRANCH, if it deploys from another) and runs
`python -m tools.infra.generate`, which rewrites the buttons in README.md and
docs/deploy.md; `--buttons OWNER/NAME` prints them for any fork without writing.
"""

from __future__ import annotations

from urllib.parse import quote

from tools.infra.backends import Backend

# The repository the buttons deploy from, as owner/name on GitHub. No remote was configured
# when this was written, so it is a placeholder: set it to the real one.
REPOSITORY = "your-org/chat-on-azure"
BRANCH = "main"

PORTAL_CREATE = "https://portal.azure.com/#create/Microsoft.Template/uri/"
BADGE = "https://aka.ms/deploytoazurebutton"
BLOCK = "deploy-buttons"


def raw_url(file_name: str, repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    return f"https://raw.githubusercontent.com/{repository}/{branch}/infrastructure/{file_name}"


def button_url(template_url: str) -> str:
    # The portal reads the template's address from its own URL fragment: all of it encoded.
    return PORTAL_CREATE + quote(template_url, safe="")


def buttons_table(
    backends: list[Backend], repository: str = REPOSITORY, branch: str = BRANCH
) -> str:
    rows = ["| model backend | deploy | you need |", "|---|---|---|"]
    for backend in backends:
        link = button_url(raw_url(backend.file_name, repository, branch))
        rows.append(
            f"| {backend.title} | [![Deploy to Azure]({BADGE})]({link}) | {backend.needs} |"
        )
    return "\n".join(rows)
