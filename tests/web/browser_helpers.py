"""What the browser tests share: a page in a chosen language, signed in through the login
form, the language switched through the header's buttons, and axe's serious findings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from playwright.sync_api import Page, expect

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core, from its npm package


class NewPage(Protocol):
    """The `new_page` fixture: a page in a fresh browser context (its own cookies) asking for
    `locale`; `axe=True` lets axe's script in, which the app's content policy would refuse."""

    def __call__(self, locale: str = "fr-FR", *, axe: bool = False) -> Page: ...


class SignedIn(Protocol):
    """The `signed_in` fixture: a new page on which `name` signed in, showing `then`."""

    def __call__(
        self, name: str, *, locale: str = "fr-FR", then: str = "/", axe: bool = False
    ) -> Page: ...


def sign_in_page(page: Page, name: str, password: str, then: str = "/") -> None:
    """Asks for `then`, is sent to the login form, signs in and lands back on `then`, in the
    language the browser asks for."""
    page.goto(then)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form[action='/login'] button")
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))
    expect(page.locator(".who")).to_contain_text(name)
    language = page.evaluate("navigator.language").split("-")[0]
    expect(page.locator("html")).to_have_attribute("lang", language)


def switch_language(page: Page, lang: str) -> None:
    """Clicks the header's button for `lang` and waits for the page in it."""
    page.click(f"form.languages button[lang='{lang}']")
    expect(page.locator("html")).to_have_attribute("lang", lang)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands, one line each
    ("rule: the elements"); the page must come from a context made with `axe=True`."""
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return found
