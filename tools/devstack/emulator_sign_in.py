"""Sign in through the SWA emulator's own sign-in form, as a person would.

Shared by the browser tests and the screenshot script. The form saves each field on keyup
(its jQuery code), so the fields are typed, not filled.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page


def sign_in_on_emulator_form(page: Page, name: str, roles: tuple[str, ...]) -> None:
    """From the app's sign-in page, through the emulator's form, back to the app."""
    page.get_by_role("link", name=re.compile("sign in", re.IGNORECASE)).click()
    page.locator("#userDetails").press_sequentially(name)
    role_box = page.locator("#userRoles")
    role_box.press("Control+End")  # keep the default anonymous/authenticated lines
    for role in roles:
        role_box.press_sequentially("\n" + role)
    page.locator("#submit").click()
