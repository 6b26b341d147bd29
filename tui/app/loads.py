"""Loading the file for the app (in a thread when it is big): the load, and the messages a
thread posts back (a thread only ever posts messages; the app acts on them)."""

from __future__ import annotations

import os
import threading
from typing import Final

from textual.message import Message

from ..model import reading
from ..model.datasets import dataset_files
from ..model.events import Timeline
from ..model.fast_path import Preview
from ..model.loading import Loaded, LoadOptions, load_path
from ..model.problems import LoadError, Problem, Severity
from ..model.reading import gc_paused, keep_out_of_collections


class Progress(Message):
    """How far a load in a thread has got."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progress)


class FirstEvents(Message):
    """A large file's first events, read while the rest is (fast_path.first_events).
    `shown` is set once they are on screen: the load waits for it (up to SHOWN_WITHIN),
    since the split of the whole file that comes next holds the interpreter for a second
    at a million events, and the screen would wait for it. `ids_final`: whether their
    ids are the whole timeline's (fast_path.Preview); `whose`: which file's they are, as
    the count says it ("the file's", or a file's name among several)."""

    def __init__(self, timeline: Timeline, ids_final: bool, whose: str) -> None:
        super().__init__()
        self.timeline, self.ids_final, self.whose = timeline, ids_final, whose
        self.shown = threading.Event()


SHOWN_WITHIN: Final = 1.0


class Read(Message):
    """A load or reload in a thread has finished: `loaded`, or `error` (a file that can't
    be read) or `crash` (a bug)."""

    def __init__(
        self,
        loaded: Loaded | None = None,
        error: LoadError | None = None,
        crash: Exception | None = None,
        *,
        reload: bool = False,
        index: int = 0,
    ) -> None:
        """`index`: which of the files open at once."""
        super().__init__()
        self.loaded = loaded
        self.error = error
        self.crash = crash
        self.reload = reload
        self.index = index


class Assembled(Message):
    """The files made one timeline, in a thread: `loaded` from `parts` (dropped if the
    parts have changed since), or `crash` (a bug). `reload`: which file's reload led to
    it (None: the first load)."""

    def __init__(
        self,
        parts: tuple[Loaded, ...],
        reload: int | None,
        loaded: Loaded | None = None,
        crash: Exception | None = None,
    ) -> None:
        super().__init__()
        self.parts = parts
        self.reload = reload
        self.loaded = loaded
        self.crash = crash


class Looked(Message):
    """What the files are now (`file_stat` of each; None for standard input, or gone),
    from a thread: a Parquet folder of 10,000 files takes 60 ms to walk."""

    def __init__(self, stats: list[tuple[int, int, int] | None]) -> None:
        super().__init__()
        self.stats = stats


class Warn(Message):
    """Something the user should know, from a thread."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def load_file(
    path: str,
    options: LoadOptions,
    progress: reading.Progress | None = None,
    *,
    reload: bool = False,
    index: int = 0,
    preview: Preview | None = None,
) -> Read:
    """Load the file, returning the message that says how it went. On a reload an
    unexpected exception is reported as the file's error (the last good data stays on
    screen); on the first load it is a crash, which the command line reports."""
    try:
        with gc_paused():  # until what is kept is frozen: no collection walks it first
            loaded = load_path(
                path, progress, options, snapshot=not reload, mapped=not reload, preview=preview
            )
            keep_out_of_collections(loaded.timeline)
    except LoadError as exc:
        return Read(error=exc, reload=reload, index=index)
    except Exception as exc:
        if not reload:
            return Read(crash=exc, index=index)
        if os.environ.get("TIMELINE_DEBUG"):
            raise
        problem = Problem(Severity.ERROR, f"internal error: {type(exc).__name__}: {exc}")
        return Read(error=LoadError(path, [problem]), reload=True, index=index)
    loaded.timeline.position  # noqa: B018 (built here, not in the app's thread)
    return Read(loaded, reload=reload, index=index)


def file_stat(path: str) -> tuple[int, int, int] | None:
    """What changes when the file does (an editor's rename included), or a dataset's
    files (one added, removed or rewritten); None if gone."""
    files = dataset_files(path)
    try:
        if files:
            each = [(file, os.stat(file)) for file in files]
            said = tuple((f, s.st_ino, s.st_size, s.st_mtime_ns) for f, s in each)
            return (len(files), sum(s.st_size for _, s in each), hash(said))
        stat = os.stat(path)
    except OSError:
        return None
    if files == []:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def size_text(size: float) -> str:
    """`714 bytes`, `70.9 MB`; empty for a size not known (negative)."""
    if size < 0:
        return ""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""
