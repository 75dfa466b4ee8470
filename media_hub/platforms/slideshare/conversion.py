"""Waiting for SlideShare to convert an upload: Status 0 queued, 1 converting, 2 converted,
3 failed. Polled with a growing delay, so a slow conversion costs few of the day's calls."""

from __future__ import annotations

import time
from collections.abc import Callable

from media_hub import progress
from media_hub.platforms.slideshare.client import ConversionStatus, SlideShareClient, Slideshow

FIRST_DELAY_S = 2.0
MAX_DELAY_S = 60.0


def wait_for_conversion(
    client: SlideShareClient,
    slideshow_id: str,
    *,
    timeout_s: float,
    on_status: Callable[[ConversionStatus], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Slideshow:
    """The slideshow once converted or failed, or as last seen when `timeout_s` runs out."""
    deadline = clock() + timeout_s
    delay = FIRST_DELAY_S
    with progress.step(f"SlideShare converting slideshow {slideshow_id}") as current:
        while True:
            slideshow = client.get_slideshow(slideshow_id, detailed=True)
            if on_status is not None:
                on_status(slideshow.status)
            current.note(slideshow.status.name.lower())
            finished = slideshow.status in (ConversionStatus.CONVERTED, ConversionStatus.FAILED)
            left = deadline - clock()
            if finished or left <= 0:
                return slideshow
            sleep(min(delay, left))
            delay = min(delay * 2, MAX_DELAY_S)
