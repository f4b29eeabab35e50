"""Make the SWA emulator's mock sign-in page work without internet.

The emulator's page (`/.auth/login/aad`) loads jQuery from a CDN and cannot sign anyone in
without it; on an offline machine it is dead. This swaps the CDN tag for the jQuery that
npm installed (a devDependency), inline. Idempotent; run by scripts/bootstrap after
`npm ci`. The page sets no CSP, so the inline script runs. Nothing here is deployed.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.devstack.processes import REPO_ROOT

AUTH_PAGE = REPO_ROOT / "node_modules/@azure/static-web-apps-cli/dist/public/auth.html"
JQUERY = REPO_ROOT / "node_modules/jquery/dist/jquery.min.js"
CDN_SCRIPT = re.compile(r'<script src="https://ajax\.aspnetcdn\.com/[^"]+"[^>]*></script>')
MARKER = "<!-- jquery inlined for offline use by tools/devstack/offline_signin.py -->"


def patch(auth_page: Path = AUTH_PAGE, jquery: Path = JQUERY) -> bool:
    """Inline jQuery into the sign-in page; False when it was already done."""
    page = auth_page.read_text(encoding="utf-8")
    if MARKER in page:
        return False
    script = jquery.read_text(encoding="utf-8")
    replaced = False

    def inline_first(match: re.Match[str]) -> str:
        nonlocal replaced
        if replaced or "jquery" not in match.group(0):
            return ""  # bootstrap.min.js: the page works without it
        replaced = True
        return f"{MARKER}\n<script>{script}</script>"

    patched = CDN_SCRIPT.sub(inline_first, page)
    if not replaced:
        raise SystemExit(f"{auth_page} no longer loads jQuery from the CDN: update {__file__}")
    auth_page.write_text(patched, encoding="utf-8")
    return True


if __name__ == "__main__":
    patch()
