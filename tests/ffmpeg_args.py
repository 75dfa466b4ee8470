"""Reading an ffmpeg argument list: an output option, the options of each input, the graph."""

from __future__ import annotations


def option(args: list[str], name: str) -> str:
    """The value of the output option `name` (those between the last -map and the file)."""
    output_at = next(
        i for i, arg in enumerate(args) if arg.startswith("file:/") and args[i - 1] != "-i"
    )
    last_map = max(i for i, arg in enumerate(args) if arg == "-map")
    values = [args[i + 1] for i in range(last_map + 2, output_at) if args[i] == name]
    assert len(values) == 1, f"{name} given {len(values)} times"
    return values[0]


def input_options(args: list[str]) -> list[dict[str, str]]:
    """The options given before each -i, with the URL under "-i"."""
    found, current = [], {}
    for i, arg in enumerate(args):
        if arg == "-filter_complex":
            break
        if arg.startswith("-"):
            current[arg] = args[i + 1]
            if arg == "-i":
                found.append(current)
                current = {}
    return found


def filter_graph(args: list[str]) -> str:
    return args[args.index("-filter_complex") + 1]
