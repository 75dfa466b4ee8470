"""What the pages share: the hub, the settings and the services they call."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment

from media_hub.catalog.librarian import LibrarianService
from media_hub.catalog.users import UserService
from media_hub.hub import Hub
from media_hub.web.config import WebConfig
from media_hub.web.facets import FacetCache
from media_hub.web.fresh import Fresh
from media_hub.web.limiter import LoginLimiter
from media_hub.web.sessions import SessionCodec
from media_hub.web.templates import environment
from media_hub.web.youtube_preview import youtube_publisher

# An edited series template shows in the asset pages' YouTube preview within this many seconds.
PREVIEW_FRESH_S = 10.0


@dataclass
class WebApp:
    """What the pages share: the hub, the settings and the services they call."""

    hub: Hub
    config: WebConfig
    env: Environment = field(default_factory=environment)

    def __post_init__(self) -> None:
        self.codec = SessionCodec(
            self.config.secret_key, self.config.session_hours * 3600, self.config.secure_cookies
        )
        self.users = UserService(self.hub.db, self.config.password_hasher)
        self.librarian = LibrarianService(self.hub.db)
        self.facets = FacetCache(self.hub.catalog)
        self.youtube = Fresh(lambda: youtube_publisher(self.hub), PREVIEW_FRESH_S)
        self.limiter = LoginLimiter(
            self.hub.db, self.config.login_attempts, self.config.login_window_s
        )
