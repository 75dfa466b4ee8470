"""The Jinja2 environment of the pages: autoescaped, with the globals every page uses."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from media_hub.catalog.user_models import Role
from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.web import i18n
from media_hub.web.sessions import CSRF_FIELD

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        LANGUAGES=LANGUAGES, text_dir=i18n.text_direction, CSRF_FIELD=CSRF_FIELD,
        urlencode=urlencode, ROLE_LIBRARIAN=Role.LIBRARIAN, ROLE_ADMIN=Role.ADMIN,
        ROLE_EDITOR=Role.EDITOR,
    )  # fmt: skip
    return env
