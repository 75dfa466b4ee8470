"""A library error as the person sees it: one line on stderr, `error: ...`.

When the fix is the person's and the same command is then run again, the line names that
command, which only the CLI knows (a deck refused by `upload` and by `ingest` is the same
library error). A file name may hold a line break or a terminal's escape: such characters
are shown escaped (`\\n`), so the error stays on its one line and the terminal as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from media_hub.errors import ExitStatus, MediaHubError

# C0 controls, DEL, and what Python and terminals also take for a line break.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def error_line(exc: MediaHubError, command: str) -> str:
    """`command` as the person typed it, e.g. 'media-hub upload'."""
    line = f"error: {exc}"
    if exc.rerun_after_fix:
        line += f" and run '{command}' again"
    return one_line(line)


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped, as Python writes them."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


def batch_status(errors: Iterable[MediaHubError]) -> int:
    """The exit status of a batch whose items failed with `errors`: theirs when they agree
    (a broken conventions file is 5 for one file as for `conventions load`), else 1."""
    statuses = {int(exc.exit_status) for exc in errors}
    return statuses.pop() if len(statuses) == 1 else int(ExitStatus.ERROR)
