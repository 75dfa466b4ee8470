"""`media-hub catalog ...`: add, list, show, search, edit, archive and the history of assets."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated, Any

import typer

from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.cli import output
from media_hub.cli.options import JsonOpt
from media_hub.cli.output import Format
from media_hub.cli.parsing import iso_date, language_texts
from media_hub.cli.state import state
from media_hub.errors import ValidationError

if TYPE_CHECKING:
    from media_hub.catalog.query import AssetQuery

app = typer.Typer(help="Add, find and edit the assets of the catalog.", no_args_is_help=True)

TitleOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--title", "-t", metavar="LANG=TEXT", help="Title in a language (ar, fr, en, zgh)."
    ),
]
DescriptionOpt = Annotated[
    list[str] | None,
    typer.Option("--description", "-d", metavar="LANG=TEXT", help="Description in a language."),
]
IfVersionOpt = Annotated[
    int | None,
    typer.Option(
        "--if-version",
        metavar="N",
        help="Refuse the change unless the asset is still at version N (the one you read).",
    ),
]
SeriesFilter = Annotated[str | None, typer.Option("--series", "-s", help="Only this series.")]
TopicFilter = Annotated[
    str | None, typer.Option("--topic", metavar="SLUG", help="Only assets with this topic.")
]
StatusFilter = Annotated[AssetStatus | None, typer.Option("--status", help="Only this status.")]
KindFilter = Annotated[AssetKind | None, typer.Option("--kind", help="Only videos or decks.")]
LanguageFilter = Annotated[
    str | None, typer.Option("--language", "-l", help="Only assets with a text in this language.")
]
AllOpt = Annotated[bool, typer.Option("--all", help="Include archived assets.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")]
OffsetOpt = Annotated[
    int, typer.Option("--offset", min=0, help="Skip this many first (pages, with --limit).")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[AssetKind, typer.Option("--kind", help="video or deck.")],
    title: TitleOpt = None,
    series: Annotated[str | None, typer.Option("--series", "-s", help="Series slug.")] = None,
    description: DescriptionOpt = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", metavar="SLUG", help="Topic slug.")
    ] = None,
    playlist: Annotated[
        list[str] | None,
        typer.Option("--playlist", metavar="SLUG", help="Extra playlist, beside the series' own."),
    ] = None,
    season: Annotated[int | None, typer.Option("--season", help="Season number.")] = None,
    episode: Annotated[int | None, typer.Option("--episode", help="Episode number.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Default language of the asset.")
    ] = None,
    recorded: Annotated[
        str | None,
        typer.Option(
            "--recorded", metavar="DATE", help="Recording date: YYYY-MM-DD or DD/MM/YYYY."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an asset and print its id.

    Example: media-hub catalog add --kind video --series advisory-clips --episode 3
    --title "ar=كيف تكتب سيرتك الذاتية" --title "fr=Rédiger son CV" --topic cv
    """
    from media_hub.catalog.assets import NewAsset

    new = NewAsset(
        kind=kind,
        series=series,
        titles=language_texts("--title", title or []),
        descriptions=language_texts("--description", description or []),
        topics=topic or [],
        playlists=playlist or [],
        season=season,
        episode=episode,
        default_language=language,
        recorded_date=iso_date("--recorded", recorded),
    )
    record = state(ctx).catalog.add(new)
    if as_json:
        output.print_json(record)
    else:
        typer.echo(record["id"])


QueryArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="QUERY",
        help="Query terms (series:advisory-clips status:ready episode:3..7 lang:fr, plain "
        "words to find); the options below are shorthands for the same terms.",
        show_default=False,
    ),
]


def query_of(
    terms: list[str] | None,
    text: str | None = None,
    **options: Any,
) -> AssetQuery:
    """The query terms, then each option given (an option names the same filter as a term:
    giving both with different values is refused)."""
    from media_hub.catalog.querylang import parse_query

    query = parse_query([*(terms or []), *([text] if text else [])])
    changes = {}
    for name, value in options.items():
        if value is None or value is False:
            continue
        current = getattr(query, name)
        if current not in (None, False, 0, ()) and current != value:
            raise ValidationError(f"--{name}", f"the query already says {name} {current}")
        changes[name] = value
    return dataclasses.replace(query, **changes)


@app.command("list")
def list_assets(
    ctx: typer.Context,
    terms: QueryArg = None,
    series: SeriesFilter = None,
    topic: TopicFilter = None,
    status: StatusFilter = None,
    kind: KindFilter = None,
    language: LanguageFilter = None,
    include_archived: AllOpt = False,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    output_format: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """List assets, filtered by a query (as 'catalog set' and 'upload' take) or options.

    Examples: media-hub catalog list series:advisory-clips status:ready

    media-hub catalog list --series advisory-clips --format csv
    """
    query = query_of(
        terms, series=series, topic=topic, status=status, kind=kind, language=language,
        include_archived=include_archived, limit=limit, offset=offset,
    )  # fmt: skip
    output.print_assets(
        state(ctx).catalog.find(query), Format.JSON if as_json else output_format,
        language=query.language,
    )  # fmt: skip


@app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find in titles and descriptions.")],
    series: SeriesFilter = None,
    topic: TopicFilter = None,
    status: StatusFilter = None,
    kind: KindFilter = None,
    language: LanguageFilter = None,
    include_archived: AllOpt = False,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    output_format: FormatOpt = Format.TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Find assets whose title or description holds every word, in any language.

    Accents, case and Arabic short vowels do not matter: "entretien" finds "Entretien",
    "سيرة" finds "السِّيرَة".

    The text may hold query terms too: "entretien status:ready lang:fr".

    Example: media-hub catalog search "السيرة الذاتية" --series advisory-clips
    """
    query = query_of(
        None, text, series=series, topic=topic, status=status, kind=kind, language=language,
        include_archived=include_archived, limit=limit, offset=offset,
    )  # fmt: skip
    if query.text is None:
        raise ValidationError("search", f"{text!r} has no words to search for")
    output.print_assets(
        state(ctx).catalog.find(query), Format.JSON if as_json else output_format,
        language=query.language,
    )  # fmt: skip


@app.command("show")
def show(
    ctx: typer.Context,
    asset_id: Annotated[int, typer.Argument(metavar="ID", help="Asset id.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one asset with all its texts.

    Example: media-hub catalog show 12 --json
    """
    hub = state(ctx).hub
    record = hub.catalog.show(asset_id)
    if as_json:
        output.print_json(record)
    elif record.get("publications"):
        from media_hub.catalog.calendar_file import read_calendar

        output.print_asset(record, read_calendar(hub.settings.definitions_dir).zone)
    else:
        output.print_asset(record)


@app.command("edit")
def edit(
    ctx: typer.Context,
    asset_id: Annotated[int, typer.Argument(metavar="ID", help="Asset id.")],
    title: TitleOpt = None,
    description: DescriptionOpt = None,
    drop_language: Annotated[
        list[str] | None,
        typer.Option("--drop-language", metavar="LANG", help="Remove the title and description."),
    ] = None,
    add_topic: Annotated[
        list[str] | None, typer.Option("--add-topic", metavar="SLUG", help="Add a topic.")
    ] = None,
    remove_topic: Annotated[
        list[str] | None, typer.Option("--remove-topic", metavar="SLUG", help="Remove a topic.")
    ] = None,
    add_playlist: Annotated[
        list[str] | None, typer.Option("--add-playlist", metavar="SLUG", help="Put in a playlist.")
    ] = None,
    remove_playlist: Annotated[
        list[str] | None,
        typer.Option("--remove-playlist", metavar="SLUG", help="Take out of a playlist."),
    ] = None,
    season: Annotated[int | None, typer.Option("--season", help="Season number.")] = None,
    episode: Annotated[int | None, typer.Option("--episode", help="Episode number.")] = None,
    no_episode: Annotated[
        bool, typer.Option("--no-episode", help="Clear the season and episode numbers.")
    ] = False,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Default language.")
    ] = None,
    recorded: Annotated[
        str | None,
        typer.Option(
            "--recorded", metavar="DATE", help="Recording date: YYYY-MM-DD or DD/MM/YYYY."
        ),
    ] = None,
    status: Annotated[AssetStatus | None, typer.Option("--status", help="New status.")] = None,
    use_template: Annotated[
        bool,
        typer.Option(
            "--use-template",
            help="Send adopted texts kept as published through the series' template.",
        ),
    ] = False,
    if_version: IfVersionOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an asset's texts, topics, playlists, numbers or status.

    Example: media-hub catalog edit 12 --title "fr=Réussir son entretien" --add-topic job-interview
    """
    from media_hub.catalog.assets import KEEP, AssetEdit

    titles: dict[str, str | None] = dict(language_texts("--title", title or []))
    titles.update(dict.fromkeys(drop_language or []))
    edit_ = AssetEdit(
        titles=titles,
        descriptions=language_texts("--description", description or []),
        add_topics=add_topic or [],
        remove_topics=remove_topic or [],
        add_playlists=add_playlist or [],
        remove_playlists=remove_playlist or [],
        season=None if no_episode else (season if season is not None else KEEP),
        episode=None if no_episode else (episode if episode is not None else KEEP),
        default_language=language if language is not None else KEEP,
        recorded_date=iso_date("--recorded", recorded) if recorded is not None else KEEP,
        status=status if status is not None else KEEP,
        use_template=use_template,
    )
    record, changes = state(ctx).catalog.edit(asset_id, edit_, expected_version=if_version)
    if as_json:
        output.print_json({"asset": record, "changes": changes})
        return
    if not changes:
        typer.echo(f"asset {asset_id}: nothing to change (version {record['version']})")
        return
    typer.echo(f"asset {asset_id}: now version {record['version']}")
    output.print_changes(changes)


@app.command("archive")
def archive(
    ctx: typer.Context,
    asset_id: Annotated[int, typer.Argument(metavar="ID", help="Asset id.")],
    if_version: IfVersionOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Archive an asset: it leaves lists and searches (see --all) but keeps its history.

    Example: media-hub catalog archive 12
    """
    record = state(ctx).catalog.archive(asset_id, expected_version=if_version)
    if as_json:
        output.print_json(record)
        return
    typer.echo(f"asset {asset_id}: archived (version {record['version']})")


@app.command("history")
def history(
    ctx: typer.Context,
    asset_id: Annotated[int, typer.Argument(metavar="ID", help="Asset id.")],
    as_json: JsonOpt = False,
) -> None:
    """Every recorded change of an asset: when, who, field, old and new value.

    Example: media-hub catalog history 12
    """
    entries = state(ctx).catalog.history(asset_id)
    if as_json:
        output.print_json(entries)
        return
    output.print_table(
        f"asset {asset_id}",
        ["when", "who", "version", "field", "change"],
        (
            [
                e["at"][:19].replace("T", " "),
                e["user"],
                e["version"],
                e["field"],
                output.change_text(e),
            ]
            for e in entries
        ),
    )
