"""The demo's last step: `media-hub serve` on the demo hub, and screenshots of its main pages
in French and in Arabic (mirrored), taken with Debian's chromium through Playwright.

Usage: demo_screens.py HUB OUT_DIR
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.served, shared
from tests.served import served

CHROMIUM = Path("/usr/bin/chromium")
# (file name, path): the pages a librarian, an editor and the manager open first.
PAGES = [
    ("catalog", "/"),
    ("catalog-list", "/?view=list"),
    ("asset", "/assets/1"),
    ("asset-edit", "/assets/1/edit"),
    ("history", "/assets/1/history"),
    ("bulk", "/bulk"),
    ("calendar", "/calendar"),
    ("stats", "/stats"),
    ("jobs", "/jobs"),
    ("import", "/import"),
]
LANGUAGES = {"fr": "fr-MA", "ar": "ar-MA"}


def shoot(base_url: str, name: str, password: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        for lang, locale in LANGUAGES.items():
            context = browser.new_context(
                base_url=base_url, locale=locale, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.goto("/login")
            page.fill("#name", name)
            page.fill("#password", password)
            page.click("form[action='/login'] button")
            page.wait_for_load_state()
            for label, path in PAGES:
                answer = page.goto(path)
                if answer is None or answer.status != 200:
                    continue  # a page this hub does not serve (yet)
                target = out / f"{label}-{lang}.png"
                page.screenshot(path=str(target), full_page=True)
                taken.append(target)
            context.close()
        browser.close()
    return taken


def main(hub: Path, out: Path) -> None:
    if not CHROMIUM.exists():
        print(f"screenshots skipped: {CHROMIUM} is missing (apt-get install chromium)")
        return
    out.mkdir(parents=True, exist_ok=True)
    name, password = "demo-admin", secrets.token_urlsafe(18)
    env = {**os.environ, "MEDIA_HUB_HOME": str(hub)}
    subprocess.run(
        ["media-hub", "users", "add", name, "--role", "admin", "--password-stdin"],
        input=f"{password}\n".encode(), env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with served(env=env, quiet=True) as server:
            taken = shoot(server.url, name, password, out)
    finally:
        subprocess.run(
            ["media-hub", "users", "disable", name], env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    print(f"{len(taken)} screenshots of the web app in {out}:")
    for path in taken:
        print(f"  {path.name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
