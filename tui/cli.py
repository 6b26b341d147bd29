"""The `timeline` command. Textual is imported only when the app opens, and Rich
only when colour is wanted, so `timeline print` to a pipe starts fast."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple, NoReturn

import click

from . import __version__
from .model.datasets import is_glob
from .model.loading import Loaded, LoadOptions, load_path
from .model.problems import LoadError, Problem, Severity, Unreadable
from .model.reading import STDIN, gc_paused, keep_out_of_collections
from .model.text import plural

if TYPE_CHECKING:
    from .model.sidecars import Sidecars
    from .model.store import Store

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_BAD_INPUT = 2

RENDERINGS = ("text", "markdown")
"""What `print --format` writes besides the formats with a writer."""


class FormatChoice(click.Choice[str]):
    """click's Choice over the format registry, read only when a value not in `always`
    or the help needs it: `timeline print` on our own file never imports the others."""

    def __init__(self, names: Callable[[], Iterable[str]], always: tuple[str, ...] = ()) -> None:
        self.names = names
        self.always = always
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        return (*self.always, *self.names())

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        raise AttributeError("the choices come from the registry")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.always:
            return value
        return super().convert(value, param, ctx)


def reader_names() -> Iterable[str]:
    from .formats import formats

    return formats()


def writer_names() -> Iterable[str]:
    from .formats import byte_writers, writers

    return [*writers(), *byte_writers()]


def input_options(command: Any) -> Any:
    """`--from FORMAT` and `--skip-bad`, for every command that reads a file."""
    command = click.option(
        "--skip-bad",
        is_flag=True,
        help="Load the events that can be read; report the others as skipped.",
    )(command)
    return click.option(
        "--from",
        "input_format",
        type=FormatChoice(reader_names),  # the readers' own list
        help="The file's format, if not the one detected (ours, TimelineJS JSON or "
        "spreadsheet CSV, a plain date,title CSV, ACLED CSV, iCalendar).",
    )(command)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"timeline: {message}", err=True)
    sys.exit(code)


def fail_unreadable(lost: Unreadable) -> NoReturn:
    """A snapshot (or the word index saved beside it) cut short or damaged while it was
    read: removed (if it is still the one that was read), so that the next command reads
    the file itself."""
    from .model.cache import INDEX_SUFFIX

    what = "saved word index" if lost.where.suffix == INDEX_SUFFIX else "snapshot"
    lost.remove()
    removed = "" if lost.where.exists() else "; it is removed, the next open reads the file"
    fail(f"{lost}: the {what} was cut short or damaged while it was read{removed}")


def fail_to_load(error: LoadError, options: LoadOptions | None = None) -> NoReturn:
    click.echo(str(error), err=True)
    hint = ""
    if not (options and options.skip_bad) and error.skippable:
        hint = " (--skip-bad loads the events that can be read and lists the others)"
    fail(f"{error.source}: {plural(len(error.errors), 'error')}; nothing loaded{hint}")


def load_or_exit(path: str, options: LoadOptions | None = None) -> Loaded:
    try:
        with gc_paused():  # until what is kept is frozen: no collection walks it first
            loaded = load_path(path, options=options, snapshot=True)
            keep_out_of_collections(loaded.timeline)
    except LoadError as exc:
        fail_to_load(exc, options)
    name = "<stdin>" if path == STDIN else path
    if loaded.skipped:
        click.echo(
            f"timeline: {name}: skipped {plural(loaded.skipped, 'event')} with errors", err=True
        )
        for problem in loaded.warnings:
            if problem.message.startswith("skipped: "):
                click.echo(problem.format(name), err=True)
    elif loaded.warnings:
        count = len(loaded.warnings)
        hint = "" if path == STDIN else f" (timeline validate {name} lists them)"
        click.echo(f"timeline: {name}: {plural(count, 'warning')}{hint}", err=True)
    return loaded


def default_file() -> str:
    from .model.locations import bundled_events

    return bundled_events()


class DefaultGroup(click.Group):
    """`timeline FILE` and plain `timeline` open the app: anything that isn't a
    subcommand or an option goes to `open`."""

    GROUP_OPTIONS = frozenset({"-h", "--help", "-V", "--version"})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Options before the file go to `open` too: `timeline --skip-bad sheet.csv`."""
        if not args or (args[0] not in self.commands and args[0] not in self.GROUP_OPTIONS):
            args = ["open", *args]
        return super().parse_args(ctx, args)


class QueryCommand(click.Command):
    """Remembers how many arguments followed `--`: those are the query, never a file."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            ctx.meta["after_dashes"] = len(args) - args.index("--") - 1
        return super().parse_args(ctx, args)


PATH_SUFFIXES = (".json", ".jsonl", ".csv", ".tsv", ".ics", ".ical", ".parquet")
"""An argument ending so is meant as a file, not a query (`--` says otherwise)."""


def looks_like_a_path(word: str) -> bool:
    """`nordstrem.json`, `./notes`, `data/story.csv`; not `tag:pow`, `kursk`,
    `2025-01-09..2025-01-12` or `"a/b"`."""
    if ":" in word.split("/", 1)[0] or " " in word:
        return False  # a field term (`source:x.json`) or a phrase
    if word.lower().endswith(PATH_SUFFIXES) or word.startswith(("./", "../", "/", "~/")):
        return True
    return "/" in word and "." in word.rsplit("/", 1)[1]


def split_files_and_query(ctx: click.Context, words: tuple[str, ...]) -> tuple[list[str], str]:
    """FILE... then QUERY, as DESIGN.md §4 and §6 say: the words that name files (or -
    for standard input) come first; a word that looks like a file is never taken as a
    query: a missing file is an error naming it, and so is a file after the query."""
    after = ctx.meta.get("after_dashes", 0)
    before, query_words = list(words[: len(words) - after]), list(words[len(words) - after :])
    paths: list[str] = []
    while before and (
        before[0] == STDIN
        or os.path.exists(before[0])
        or is_glob(before[0])
        or (after and not paths)
    ):
        paths.append(before.pop(0))
    if before and looks_like_a_path(before[0]):
        fail(f"{before[0]}: no such file (put -- before a query that looks like a file name)")
    for word in before:
        if looks_like_a_path(word) or (word != STDIN and os.path.isfile(word)):
            fail(
                f"{word}: a file after the query; files come first (put -- before a query "
                "that looks like a file name)"
            )
    return checked_paths(paths or [default_file()]), " ".join(before + query_words)


def checked_paths(paths: list[str]) -> list[str]:
    if paths.count(STDIN) > 1:
        fail("standard input (-) can be read only once")
    if len(paths) > 1:
        from .model.combining import same_files

        twice = same_files(paths)
        if twice is not None:
            fail(f"{twice}: the same file given twice")
    return paths


def load_all_or_exit(
    paths: list[str], options: LoadOptions | None = None, sidecars: Sidecars | None = None
) -> Loaded:
    """Each file loaded (and its warnings counted) as `load_or_exit` does; several made one
    timeline, their clashing ids said; the events the sidecars mark the same shown once."""
    parts = [load_or_exit(path, options) for path in paths]
    if len(parts) == 1 and sidecars is None:
        return parts[0]
    from .model.combining import assembled, file_names

    loaded = assembled(file_names(paths), parts, sidecars)
    clashes = len(loaded.warnings) - sum(len(part.warnings) for part in parts)
    if clashes > 0:
        import shlex

        named = " ".join(shlex.quote(p) for p in paths)
        hint = "" if STDIN in paths else f" (timeline validate {named} lists them)"
        click.echo(
            f"timeline: {plural(clashes, 'id')} in more than one file: each kept, shown as"
            f" file:id{hint}",
            err=True,
        )
    return loaded


def open_sidecars(paths: list[str], query_text: str, notes: bool) -> Sidecars | None:
    """The notes files (read, never written by the command line), or None when no file has
    one and nothing asks for one: `print` on a file without notes never imports them."""
    from .model.locations import sidecar_exists

    if not notes and not reads_layer(query_text) and not any(map(sidecar_exists, paths)):
        return None
    from .model.sidecars import Sidecars

    sidecars = Sidecars(paths, writable=False)
    for warning in sidecars.warnings:
        click.echo(f"timeline: {warning}", err=True)
    return sidecars


def reads_layer(query_text: str) -> bool:
    from .model.query import reads_analyst_layer

    return reads_analyst_layer(query_text)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="timeline")
def main() -> None:
    """A terminal timeline explorer: what happened when, who says so, and on what source.

    With no command, opens FILE (default: the bundled story) in the app; several
    files open as one timeline.
    """


@main.command("open")
@click.argument("files", nargs=-1)
@input_options
@click.option(
    "--read-only",
    is_flag=True,
    hidden=True,
    help="Save nothing (notes, stars, views, theme): how `serve` runs each tab unless --writable.",
)
@click.option(
    "--served",
    is_flag=True,
    hidden=True,
    help="In a browser through `serve`: start no program here, export as downloads.",
)
def open_app(
    files: tuple[str, ...],
    input_format: str | None,
    skip_bad: bool,
    read_only: bool,
    served: bool,
) -> None:
    """Open FILE in the app (the default command); several files as one timeline."""
    paths = checked_paths(list(files) or [default_file()])
    options = LoadOptions(input_format, skip_bad)
    for path in paths:
        if path != STDIN and not os.path.exists(path) and not is_glob(path):
            fail(f"{path}: no such file")  # said before the app takes the screen
    loaded = None
    if STDIN in paths:
        if sys.stdin.isatty():  # typed at the terminal: read to its end before the app
            loaded = load_or_exit(STDIN, options)
        else:  # a pipe: read by the app, showing its progress and first events, as a file
            sys.stdin = os.fdopen(os.dup(sys.stdin.fileno()), "r")
        keys_from_terminal()
    from .app import TimelineApp  # Textual is imported only here.
    from .model.locations import data_dir
    from .model.state import StateStore

    state = StateStore(data_dir() / "state.json", writable=not read_only)
    app = TimelineApp(paths, preloaded=loaded, options=options, state=state, served=served)
    app.run()
    if app.crash is not None:
        raise app.crash  # reported by run(), the console script's guard
    if app.load_error is not None:
        fail_to_load(app.load_error, options)
    if app.unreadable is not None:
        fail_unreadable(app.unreadable)
    sys.exit(app.return_code or 0)


def keys_from_terminal() -> None:
    """The events came on standard input; the keys must come from the terminal."""
    try:
        terminal = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        fail("with events on standard input, the app needs a terminal (/dev/tty) for the keys")
    os.dup2(terminal, 0)  # what Textual reads its keys from (sys.__stdin__)
    os.close(terminal)


@main.command("print", cls=QueryCommand)
@click.argument("words", nargs=-1)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=FormatChoice(writer_names, RENDERINGS),
    default="text",
    show_default=True,
)
@click.option("--reverse", "-r", is_flag=True, help="Newest first.")
@click.option(
    "--width",
    "-w",
    type=click.IntRange(20, 10_000),
    help="Wrap to N columns (default: the terminal's).",
)
@click.option(
    "--color",
    "--colour",
    "color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="auto: only on a terminal, and never with NO_COLOR.",
)
@click.option(
    "--history",
    is_flag=True,
    help="Show each event's status history (text and markdown).",
)
@click.option(
    "--notes",
    is_flag=True,
    help="Add your notes, stars and labels (from FILE's .notes.json): under each event in "
    "text and markdown, as each event's x-notes in the data formats.",
)
@input_options
@click.pass_context
def print_timeline(
    ctx: click.Context,
    words: tuple[str, ...],
    fmt: str,
    reverse: bool,
    width: int | None,
    color: str,
    history: bool,
    notes: bool,
    input_format: str | None,
    skip_bad: bool,
) -> None:
    """Print the timeline as text, Markdown, JSON, CSV, iCalendar, TimelineJS or Parquet.

    \b
    timeline print [FILE...] [QUERY]
    FILE is an event file, or - for standard input; without one, the bundled
    story; several make one timeline (file: selects by file). Use -- before a
    query that starts with '-':
      timeline print 'tag:pow after:2025-01-10'
      timeline print my.json 'by:nis'
      timeline print ours.json acled.csv 'file:acled.csv kursk'
      cat my.json | timeline print - -- -status:context

    Exit status: 0 when something matched, 1 when nothing did, 2 for bad input.
    """
    paths, query_text = split_files_and_query(ctx, words)
    binary = False
    if fmt not in RENDERINGS:
        from .formats import byte_writers

        binary = fmt in byte_writers()
    if binary and sys.stdout.isatty():
        fail(f"{fmt} is binary: send it to a file (timeline print --format {fmt} > out.{fmt})")
    sidecars = open_sidecars(paths, query_text, notes)
    loaded = load_all_or_exit(paths, LoadOptions(input_format, skip_bad, placed=False), sidecars)
    timeline = loaded.timeline
    mine = analyst_layer(paths, query_text, timeline, sidecars, notes)
    positions, as_of, _ = run_query(query_text, loaded, mine)
    ordered = positions[::-1] if reverse else positions
    annotations = mine.events if mine is not None and notes else None
    shown: dict[str, Any] = {"annotations": annotations, "as_of": as_of, "history": history}
    out = sys.stdout
    try:
        if fmt == "text":
            write_text(timeline, positions, out, reverse, width, color, shown)
        elif fmt == "markdown":
            from .output.markdown import markdown_lines

            lines = markdown_lines(timeline, positions, reverse, query_text, **shown)
            out.writelines(line + "\n" for line in lines)
        else:
            from .formats import writers

            if annotations:
                from .model.sidecar import annotated

                timeline = annotated(timeline, annotations)

            if binary:
                write_bytes = byte_writers()[fmt].write_bytes
                assert write_bytes is not None
                said = write_bytes(timeline, ordered, out.buffer)
            else:
                write = writers()[fmt].write
                assert write is not None
                said = write(timeline, ordered, out)
            for note in said:
                click.echo(f"timeline: {note}", err=True)
        out.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    done(EXIT_OK if positions or not timeline.events else EXIT_NO_MATCH)


class Analyst(NamedTuple):
    """What `print` and `stats` read of the sidecar: views, and the layer's terms."""

    views: dict[str, str]
    layer: Any
    events: dict[str, Any]


def analyst_layer(
    paths: list[str],
    query_text: str,
    timeline: Any,
    sidecars: Sidecars | None,
    notes: bool = False,
) -> Analyst | None:
    """What the query or `--notes` reads of the notes files (never written); `is:new`
    compares with what the app stored when it last had the files open."""
    if STDIN in paths and notes:
        click.echo("timeline: standard input has no notes file: --notes adds nothing", err=True)
    if sidecars is None or not (notes or reads_layer(query_text)):
        return None
    import re

    new: set[str] = set()
    uses_new = re.compile(r"(?i)\bis:\S*\bnew\b").search
    if any(map(uses_new, [query_text, *sidecars.views.values()])):
        from .model.seen import fingerprints, read_seen, seen_key

        seen = read_seen(seen_key(paths))
        if seen is not None:
            new = seen.new_in(timeline, fingerprints(timeline))
    return Analyst(sidecars.views, sidecars.layer(new), sidecars.events)


def run_query(
    query_text: str, loaded: Loaded, mine: Analyst | None = None
) -> tuple[Sequence[int], int | None, Store]:
    """The positions found, the end of the query's `asof:` day, if it has one, and the
    store that found them: a large file the app has indexed is searched through its saved
    word index (store.py)."""
    from .model.query import QueryError, parse_query
    from .model.store import store_of

    timeline = loaded.timeline

    try:
        query = parse_query(query_text, timeline, mine.views if mine else None)
    except QueryError as exc:
        caret = " " * (exc.column - 1) + "^"
        fail(f"bad query: {exc}\n  {query_text}\n  {caret}")
    for note in query.notes:
        click.echo(f"timeline: {note}", err=True)
    store = store_of(loaded, keep_columns=False)
    found = store.select(query, mine.layer if mine else None)
    if not found:
        for note in query.nearest_values(timeline):
            click.echo(f"timeline: {note}", err=True)
    return found, query.as_of, store


def color_wanted(color: str, out: IO[str]) -> bool:
    if color == "always":
        return True
    if color == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return out.isatty()


def write_text(
    timeline: Any,
    positions: Sequence[int],
    out: IO[str],
    reverse: bool,
    width: int | None,
    color: str,
    shown: dict[str, Any],
) -> None:
    """`shown`: text_lines' options (annotations, as_of, history)."""
    from .output.render import plain, text_lines

    if width is None:
        width = os.get_terminal_size(out.fileno()).columns if _is_terminal(out) else 80
    lines = text_lines(timeline, positions, width, reverse, **shown)
    if not color_wanted(color, out):
        out.writelines(plain(line) + "\n" for line in lines)
        return
    from rich.console import Console
    from rich.text import Text

    no_color = color == "auto" and bool(os.environ.get("NO_COLOR"))
    console = Console(
        file=out,
        force_terminal=True,
        no_color=no_color,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
    )
    for line in lines:
        text = Text.assemble(*line, end="")
        text.rstrip()
        console.print(text, overflow="crop", no_wrap=True, crop=True, soft_wrap=False)


def _is_terminal(out: IO[str]) -> bool:
    try:
        return out.isatty() and os.get_terminal_size(out.fileno()).columns > 0
    except (OSError, ValueError):
        return False


_CONSOLE_SCRIPT = False
"""Set by `console`: this process is the command, not a test calling it, and may end at
once."""


def done(code: int) -> NoReturn:
    """A command that reads and has written all it says ends: run as the console script
    with no other thread alive, at once (`os._exit`, once what is written is flushed),
    rather than freeing every object of a large file one by one (0.9 s of a 12 s print
    of a million events). Nothing of ours is left to clean up: every scratch file is
    removed by its `with`, and the databases a reading command opens are read-only or
    in memory. In a test, SystemExit as usual."""
    if _CONSOLE_SCRIPT:
        import threading

        if threading.active_count() == 1:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                quiet_broken_pipe()
            sys.stderr.flush()
            os._exit(code)
    sys.exit(code)


def quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head -1`): stop quietly, like any Unix filter."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)


@main.command("stats", cls=QueryCommand)
@click.argument("words", nargs=-1)
@click.option(
    "--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="Values per count."
)
@click.option("--width", "-w", type=click.IntRange(40, 10_000), help="Width of the report.")
@input_options
@click.pass_context
def stats(
    ctx: click.Context,
    words: tuple[str, ...],
    top: int,
    width: int | None,
    input_format: str | None,
    skip_bad: bool,
) -> None:
    """Counts of the events: per period (a bar chart), per status, kind, tag, actor, place
    and who claims it.

    \b
    timeline stats [FILE...] [QUERY]
    Rich tables on a terminal, plain text in a pipe.
    """
    paths, query_text = split_files_and_query(ctx, words)
    sidecars = open_sidecars(paths, query_text, False)
    loaded = load_all_or_exit(paths, LoadOptions(input_format, skip_bad, placed=False), sidecars)
    mine = analyst_layer(paths, query_text, loaded.timeline, sidecars)
    positions, _, store = run_query(query_text, loaded, mine)
    out = sys.stdout
    if width is None:
        width = os.get_terminal_size(out.fileno()).columns if _is_terminal(out) else 80
    try:
        if color_wanted("auto", out):
            from .output.stats_view import print_stats

            print_stats(loaded.timeline, positions, width, top, store.text_counts)
        else:
            from .output.stats import stats_lines

            lines = stats_lines(loaded.timeline, positions, width, top, store.text_counts)
            out.writelines(line + "\n" for line in lines)
        out.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    done(EXIT_OK if positions or not loaded.timeline.events else EXIT_NO_MATCH)


@main.command("diff")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(("text", "markdown", "json")),
    default="text",
    show_default=True,
)
@input_options
def diff(words: tuple[str, ...], fmt: str, input_format: str | None, skip_bad: bool) -> None:
    """What changed between two days: what became known after DAY1 and by the end of DAY2
    (by `reported`, else `date`), what changed status, what was revised.

    \b
    timeline diff [FILE] DAY1 DAY2
      timeline diff 2025-01-10 2025-01-12
      timeline diff story.json "jan 10" "jan 12" --format json

    Exit status: 0 when something changed, 1 when nothing did, 2 for bad input.
    """
    if len(words) == 2:
        path, (first, second) = default_file(), words
    elif len(words) == 3:
        path, first, second = words
    else:
        fail(f"diff takes [FILE] DAY1 DAY2, found {plural(len(words), 'argument')}")
    loaded = load_or_exit(path, LoadOptions(input_format, skip_bad, placed=False))
    timeline = loaded.timeline
    from .model.query import QueryError, parse_date_value

    ends = []
    for name, text in (("DAY1", first), ("DAY2", second)):
        try:
            ends.append(parse_date_value(text, 1, timeline))
        except QueryError as exc:
            fail(f"{name}: {exc.message}")
    start, end = ends[0].latest + 1, ends[1].latest + 1
    if end < start:
        fail(f"DAY2 ({ends[1].display()}) is before DAY1 ({ends[0].display()})")
    from .model.changes import changes_between
    from .output.changes import changes_json, changes_markdown, changes_text

    changes = changes_between(timeline, start, end)
    span = f"after {ends[0].display()}, up to the end of {ends[1].display()}"
    title = timeline.title or "Timeline"
    try:
        if fmt == "json":
            click.echo(changes_json(ends[0].to_text(), ends[1].to_text(), changes))
        else:
            lines = changes_text if fmt == "text" else changes_markdown
            for line in lines(title, span, changes):
                click.echo(line)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    done(EXIT_OK if changes else EXIT_NO_MATCH)


@main.command("dupes", cls=QueryCommand)
@click.argument("words", nargs=-1)
@click.option(
    "--least",
    type=click.FloatRange(0, 1),
    default=0.45,
    show_default=True,
    help="The lowest score shown (0 to 1).",
)
@click.option(
    "--limit", type=click.IntRange(1), default=100, show_default=True, help="The best N pairs."
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
)
@input_options
@click.pass_context
def dupes(
    ctx: click.Context,
    words: tuple[str, ...],
    least: float,
    limit: int,
    fmt: str,
    input_format: str | None,
    skip_bad: bool,
) -> None:
    """Pairs of events that may report the same thing, in one file or across several,
    best first: dates that overlap (give or take a day), titles alike (shown as a
    share of their words, the rare ones weighing more), the same place, actors in
    both. Pairs marked the same in the app (D) are shown once, so not here.

    \b
    timeline dupes [FILE...] [QUERY]
      timeline dupes ours.json acled.csv
      timeline dupes ours.json acled.csv 'after:2025-01' --format json

    Exit status: 0 when a pair was found, 1 when none was, 2 for bad input.
    """
    paths, query_text = split_files_and_query(ctx, words)
    sidecars = open_sidecars(paths, query_text, False)
    loaded = load_all_or_exit(paths, LoadOptions(input_format, skip_bad, placed=False), sidecars)
    timeline = loaded.timeline
    mine = analyst_layer(paths, query_text, timeline, sidecars)
    positions, _, _ = run_query(query_text, loaded, mine)
    from .model.dupes import possible_duplicates
    from .output.dupes import dupes_json, dupes_lines

    found = possible_duplicates(timeline, positions, least=least)
    pairs = found[:limit]
    try:
        if fmt == "json":
            click.echo(dupes_json(timeline, pairs))
        else:
            for line in dupes_lines(timeline, pairs, len(positions), len(found)):
                click.echo(line)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    done(EXIT_OK if pairs else EXIT_NO_MATCH)


@main.command("serve")
@click.argument("file", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--token",
    help="Needed in the URL by every browser (default: a random one when --host is not this"
    " machine's loopback; none on loopback).",
)
@click.option(
    "--public-url",
    help="The address browsers reach the server at, if not http://HOST:PORT (behind a proxy,"
    " or with --host 0.0.0.0).",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Let the served app save notes, stars, views and the theme (by default it saves nothing).",
)
@input_options
def serve(
    file: str | None,
    host: str,
    port: int,
    token: str | None,
    public_url: str | None,
    writable: bool,
    input_format: str | None,
    skip_bad: bool,
) -> None:
    """Serve the app to a web browser (through textual-serve), on this machine only by default.

    Each browser tab runs its own copy of the app on FILE. A served app writes nothing
    on this machine unless --writable (notes, stars and views last the session), opens
    links in the browser, not here, and starts no program here. Beyond loopback it
    needs a token: the URL printed carries it.
    """
    import shlex

    path = file or default_file()
    if path == STDIN:
        fail("serve needs a file: each browser tab reads it afresh")
    options = LoadOptions(input_format, skip_bad)
    load_or_exit(path, options)  # say what is wrong here, not in the browser
    command = [sys.executable, "-m", "tui", "open", os.path.abspath(path), "--served"]
    if input_format:
        command += ["--from", input_format]
    if skip_bad:
        command.append("--skip-bad")
    if not writable:
        command.append("--read-only")
    from .app.serving import TokenServer, is_loopback, new_token

    if token is None and not is_loopback(host):
        token = new_token()
    if public_url is None and host in ("0.0.0.0", "::"):
        import socket

        public_url = f"http://{socket.gethostname()}:{port}"
    from urllib.parse import quote

    shown_host = f"[{host}]" if ":" in host else host  # an IPv6 address
    base = (public_url or f"http://{shown_host}:{port}").rstrip("/") + "/"
    url = base + (f"?token={quote(token, safe='')}" if token else "")
    saves = "saves notes, stars and views" if writable else "read-only: saves nothing"
    click.echo(f"Serving {path} at {url} ({saves}; Ctrl+C stops)", err=True)
    server_options: dict[str, Any] = {"host": host, "port": port, "title": "timeline"}
    if public_url:
        server_options["public_url"] = public_url.rstrip("/")
    if token:
        TokenServer(shlex.join(command), token=token, **server_options).serve()
    else:
        from textual_serve.server import Server

        Server(shlex.join(command), **server_options).serve()


@main.command("new")
@click.argument("file")
def new_file(file: str) -> None:
    """Write a starter event file: one example event for each kind of date, and one with
    every field. Never writes over a file that exists."""
    from .model.authoring import starter_text

    try:
        with open(file, "x", encoding="utf-8") as handle:
            handle.write(starter_text())
    except FileExistsError:
        fail(f"{file}: already exists; new writes only a new file")
    except OSError as exc:
        fail(f"{file}: cannot write: {exc.strerror}")
    click.echo(
        f"Wrote {file}: open it with `timeline {file}`, check it with `timeline validate {file}`.",
        err=True,
    )


@main.command("schema")
def schema() -> None:
    """Print the JSON Schema of the event file (draft 2020-12).

    The schema checks shapes and date syntax; `timeline validate` checks more
    (real calendar days, unique ids, relations that resolve).
    """
    import json

    from .model.records import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command("validate")
@click.argument("files", nargs=-1, required=True)
@input_options
def validate(files: tuple[str, ...], input_format: str | None, skip_bad: bool) -> None:
    """Check event files and list every problem with its line and column; of several
    files, also the ids more than one of them uses (each kept when they are opened
    together, shown as file:id).

    Exit status 2 if any file has an error; warnings alone exit 0.
    """
    paths = checked_paths(list(files))
    failed = False
    ids: list[set[str]] = []
    for path in paths:
        name = "<stdin>" if path == STDIN else path
        problems: Sequence[Problem]
        try:
            loaded = load_path(path, options=LoadOptions(input_format, skip_bad, thorough=True))
        except LoadError as exc:
            problems = exc.problems
        else:
            problems = loaded.warnings
            ids.append(set(loaded.timeline.position))
        for problem in problems:
            click.echo(problem.format(name))
        errors = sum(1 for p in problems if p.severity == Severity.ERROR)
        warnings = len(problems) - errors
        if errors:
            failed = True
            click.echo(f"{name}: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
        elif warnings:
            click.echo(
                f"{name}: valid, {plural(len(loaded.timeline), 'event')}, "
                f"{plural(warnings, 'warning')}"
            )
        else:
            click.echo(f"{name}: valid, {plural(len(loaded.timeline), 'event')}")
    if len(paths) > 1 and len(ids) == len(paths):
        from .model.combining import clashes, file_names

        shared = clashes(file_names(paths), ids)
        for problem in shared:
            click.echo(problem.format(""))
        together = f"together: {plural(sum(map(len, ids)), 'event')}"
        click.echo(f"{together}, {plural(len(shared), 'id')} in more than one file")
    done(EXIT_BAD_INPUT if failed else EXIT_OK)


def console() -> None:
    """The console script (and `python -m tui`): `run`, in a process of its own, which a
    reading command may end at once (`done`). Tests call `run`, which never does."""
    global _CONSOLE_SCRIPT
    _CONSOLE_SCRIPT = True
    run()


def run() -> None:
    """The command. Whatever goes wrong, the user sees a sentence, not a
    traceback (TIMELINE_DEBUG=1 shows it); Ctrl+C stops quietly."""
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    except Unreadable as exc:
        fail_unreadable(exc)
    except Exception as exc:
        if os.environ.get("TIMELINE_DEBUG"):
            raise
        click.echo(
            f"timeline: internal error: {type(exc).__name__}: {exc}\n"
            "  (a bug: TIMELINE_DEBUG=1 shows where; please report it)",
            err=True,
        )
        sys.exit(70)
