"""The web app's PNG icons, rendered from their SVG sources: `python -m tools.pwa_icons`.

Runs offline in headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and rewrites
webapp/public/icons/*.png; commit what it writes. The "any" icons are the favicon; the
maskable one (also the Apple touch icon, which iOS rounds itself) fills the whole square
and keeps the bubble inside the safe circle (80% of the width) that launchers may crop to.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tools.devstack.processes import REPO_ROOT

WEBAPP = REPO_ROOT / "webapp"
OUT = WEBAPP / "public" / "icons"
FAVICON = WEBAPP / "public" / "favicon.svg"
MASKABLE = WEBAPP / "src" / "pwa" / "icons" / "maskable.svg"


@dataclass(frozen=True)
class Icon:
    name: str
    source: Path
    size: int


ICONS = (
    Icon("icon-192.png", FAVICON, 192),
    Icon("icon-512.png", FAVICON, 512),
    Icon("icon-maskable-512.png", MASKABLE, 512),
    Icon("apple-touch-icon.png", MASKABLE, 180),
)


def render(browser: Browser, svg: bytes, size: int) -> bytes:
    """The SVG drawn at size by size pixels, on a transparent background."""
    page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
    try:
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        page.set_content(
            f'<body style="margin:0"><img src="{uri}" width="{size}" height="{size}"'
            ' style="display:block"></body>'
        )
        page.wait_for_function("document.images[0].complete")
        return page.screenshot(omit_background=True)
    finally:
        page.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-background-networking", "--no-first-run"],
        )
        try:
            for icon in ICONS:
                (OUT / icon.name).write_bytes(render(browser, icon.source.read_bytes(), icon.size))
                print(f"wrote {(OUT / icon.name).relative_to(REPO_ROOT)}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
