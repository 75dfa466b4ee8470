"""`upload`: files to every platform of their series, as a batch that a rerun completes.

The batch goes on past a file that fails (its error is kept) and stops at a spent quota,
naming the files not done yet; a rerun sends only what is missing. The CLI, the workers
and a web app call these functions and render their typed results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from media_hub.catalog.definitions import read_definitions
from media_hub.errors import MediaHubError, QuotaError, ValidationError
from media_hub.hub import Hub
from media_hub.jobs.queue import enqueue
from media_hub.pipeline.ingest import IngestRequest, first_file_for
from media_hub.platforms.base import Platform
from media_hub.platforms.publisher import Published, Publisher, UploadOptions, UploadPlan
from media_hub.platforms.routing import asset_platforms, series_platforms

Mode = Literal["publish", "plan", "queue"]


class UploadProgress(Protocol):
    """How a caller shows a file's long steps (the CLI draws bars; a web app may stream)."""

    def transcode(self, path: Path) -> AbstractContextManager[Callable[[float], None]]: ...
    def upload(self, path: Path, size: int) -> AbstractContextManager[Callable[[int], None]]: ...


class NoProgress:
    @contextmanager
    def transcode(self, path: Path) -> Iterator[Callable[[float], None]]:
        yield lambda fraction: None

    @contextmanager
    def upload(self, path: Path, size: int) -> Iterator[Callable[[int], None]]:
        yield lambda count: None


@dataclass(frozen=True)
class FileUploaded:
    """One file on one platform: published, planned or queued."""

    file: Path
    platform: Platform
    asset_id: int
    published: Published | None = None
    plan: UploadPlan | None = None
    job_id: int | None = None
    attached: bool = False  # the file went to an asset the librarians catalogued first


@dataclass
class UploadBatch:
    """What a batch did; `failures` lists the files refused, `not_done` those a spent quota
    left for a rerun."""

    done: list[FileUploaded] = field(default_factory=list)
    failures: list[tuple[Path, MediaHubError]] = field(default_factory=list)
    not_done: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def upload_files(
    hub: Hub,
    files: Sequence[Path],
    request: IngestRequest,
    options: UploadOptions,
    *,
    mode: Mode = "publish",
    progress: UploadProgress | None = None,
    on_error: Callable[[Path, MediaHubError], None] | None = None,
) -> UploadBatch:
    """Each file of `files` (the request gives their shared texts and series, or the
    catalogued asset they are for) to each platform of the series: published now, planned
    (nothing sent) or queued for workers."""
    if request.asset_id is not None:
        platforms = asset_platforms(hub, hub.catalog.show(request.asset_id))
    elif request.series is None:
        raise ValidationError("series", "give --series: its template makes the metadata")
    else:
        platforms = series_platforms(read_definitions(hub.settings.definitions_dir), request.series)
    # One publisher a platform for the whole batch: each makes its client once, when needed.
    publishers = [(platform, platform.publisher(hub)) for platform in platforms]
    shown = progress or NoProgress()

    def send(path: Path) -> list[FileUploaded]:
        one = replace(request, path=path)
        return [_one(hub, platform, job, one, options, mode, shown) for platform, job in publishers]

    return _batch(files, lambda path: path, send, on_error)


def upload_assets(
    hub: Hub,
    asset_ids: Sequence[int],
    options: UploadOptions,
    *,
    mode: Mode = "publish",
    progress: UploadProgress | None = None,
    on_error: Callable[[Path, MediaHubError], None] | None = None,
) -> UploadBatch:
    """Catalogued assets (with their files already in the store) to each platform of their
    series, as `upload_files` does for files; an asset without a file is refused by name."""
    publishers: dict[str, Publisher[Any]] = {}
    shown = progress or NoProgress()

    def send(asset_id: int) -> list[FileUploaded]:
        record = hub.catalog.show(asset_id)
        if record["source_checksum"] is None:
            raise ValidationError(
                "file", f"it has no file yet; attach one with 'media-hub upload FILE "
                f"--asset {asset_id}'", record=f"asset {asset_id}",
            )  # fmt: skip
        done = []
        for platform in asset_platforms(hub, record):
            if platform.name not in publishers:  # one a platform for the batch, as for files
                publishers[platform.name] = platform.publisher(hub)
            job = publishers[platform.name]
            done.append(_one_asset(hub, platform, job, asset_id, options, mode, shown))
        return done

    return _batch(asset_ids, _asset_label, send, on_error)


T = TypeVar("T")


def _batch(
    items: Sequence[T],
    label: Callable[[T], Path],
    send: Callable[[T], list[FileUploaded]],
    on_error: Callable[[Path, MediaHubError], None] | None,
) -> UploadBatch:
    """Each item sent in turn: a refused one is kept with its error and the batch goes on; a
    spent quota stops it, naming what is left for a rerun."""
    batch = UploadBatch()
    for index, item in enumerate(items):
        try:
            batch.done += send(item)
        except MediaHubError as exc:
            batch.failures.append((label(item), exc))
            if on_error:
                on_error(label(item), exc)
            if isinstance(exc, QuotaError):
                batch.not_done = [label(left) for left in items[index:]]
                break
    return batch


def _asset_label(asset_id: int) -> Path:
    return Path(f"asset-{asset_id}")


def _one_asset(
    hub: Hub,
    platform: Platform,
    job: Publisher[Any],
    asset_id: int,
    options: UploadOptions,
    mode: Mode,
    progress: UploadProgress,
) -> FileUploaded:
    label = _asset_label(asset_id)
    if mode == "plan":
        return FileUploaded(label, platform, asset_id, plan=job.plan_asset(asset_id, options))
    if mode == "queue":
        _, job_id = enqueue_upload(hub, platform, asset_id, options)
        return FileUploaded(label, platform, asset_id, job_id=job_id)
    done = _with_progress(
        hub, platform, progress, label, 0,
        lambda on_bytes, on_transcode: job.publish_asset(
            asset_id, options, on_bytes=on_bytes, on_transcode=on_transcode, file=label
        ),
    )  # fmt: skip
    return FileUploaded(label, platform, asset_id, published=done)


def _one(
    hub: Hub,
    platform: Platform,
    job: Publisher[Any],
    request: IngestRequest,
    options: UploadOptions,
    mode: Mode,
    progress: UploadProgress,
) -> FileUploaded:
    path = request.path
    attached = first_file_for(hub.db, request) is not None
    if mode == "plan":
        plan = job.prepare(request, options)
        return FileUploaded(path, platform, plan.asset_id, plan=plan, attached=attached)
    if mode == "queue":
        asset_id, job_id = enqueue_upload(hub, platform, job.stage(request, options), options)
        return FileUploaded(path, platform, asset_id, job_id=job_id, attached=attached)
    size = path.stat().st_size if path.is_file() else 0
    done = _with_progress(
        hub, platform, progress, path, size,
        lambda on_bytes, on_transcode: job.publish(
            request, options, on_bytes=on_bytes, on_transcode=on_transcode
        ),
    )  # fmt: skip
    return FileUploaded(path, platform, done.asset_id, published=done, attached=attached)


def _with_progress(
    hub: Hub,
    platform: Platform,
    progress: UploadProgress,
    label: Path,
    size: int,
    publish: Callable[[Callable[[int, int], None], Callable[[float], None]], Published],
) -> Published:
    """`publish(on_bytes, on_transcode)` with the caller's progress shown and the platform's
    network failures worded as one line."""
    with (
        platform.reaching(hub),
        progress.transcode(label) as on_transcode,
        progress.upload(label, size) as advance,
    ):
        sent = [0]

        def on_bytes(done: int, total: int) -> None:
            advance(done - sent[0])
            sent[0] = done

        return publish(on_bytes, on_transcode)


def enqueue_upload(
    hub: Hub, platform: Platform, asset_id: int, options: UploadOptions
) -> tuple[int, int]:
    """A staged asset's upload as a job for any worker; (asset id, job id)."""
    payload: dict[str, Any] = {
        "asset_id": asset_id,
        "platform": platform.name,
        "privacy": options.privacy,
        "publish_at": options.publish_at.isoformat() if options.publish_at else None,
        "force_transcode": options.force_transcode,
    }
    return asset_id, enqueue(hub.db, "upload", payload, asset_id)
