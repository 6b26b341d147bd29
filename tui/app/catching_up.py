"""Catching up (`is:new`), worked out in a daemon thread after each load: the events
added or changed since the file was last open, compared with what it held then (read
once a session, so a live reload's additions count as new too); then what it holds
now is stored for the next open (not by a read-only app)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.message import Message

from ..model.debug import debug
from ..model.events import Timeline
from ..model.seen import Seen, fingerprints, read_seen, write_seen

WAITS_UP_TO = 120.0
"""Seconds catching up waits for what it is started after."""


class CaughtUp(Message):
    def __init__(self, timeline: Timeline, new_ids: set[str], since: str | None) -> None:
        super().__init__()
        self.timeline = timeline
        self.new_ids = new_ids
        self.since = since
        """When the file was last open, as shown; None on its first open."""


class CatchingUp:
    def __init__(self, file_key: str, *, write: bool) -> None:
        self.file_key = file_key
        self.write = write
        self.baseline: Seen | None = None
        self._read = False
        self._lock = threading.Lock()
        self.done = threading.Event()

    def start(
        self,
        timeline: Timeline,
        post: Callable[[Message], object],
        after: threading.Event | None = None,
    ) -> None:
        """`after`: what to wait for first (the word index's first words), a while at
        most: fingerprinting a million events takes seconds of the interpreter's time."""
        self.done.clear()
        threading.Thread(target=self._run, args=(timeline, post, after), daemon=True).start()

    def _run(
        self, timeline: Timeline, post: Callable[[Message], object], after: threading.Event | None
    ) -> None:
        try:
            if after is not None:
                after.wait(WAITS_UP_TO)
            with self._lock:
                if not self._read:
                    self.baseline, self._read = read_seen(self.file_key), True
                baseline = self.baseline
                prints = fingerprints(timeline)
                new = baseline.new_in(timeline, prints) if baseline is not None else set()
                if self.write:
                    try:
                        write_seen(self.file_key, time.time(), prints)
                    except OSError as exc:  # only the next open's "new" is lost
                        debug(f"what {self.file_key} holds not stored: {exc!r}")
            since = None
            if baseline is not None:
                since = time.strftime("%-d %b %Y %H:%M", time.localtime(baseline.at))
            post(CaughtUp(timeline, new, since))
        finally:
            self.done.set()
