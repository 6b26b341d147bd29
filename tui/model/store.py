"""What a store answers (DESIGN.md §5), and the stores for events held in memory or in
a snapshot.

A store holds one timeline's events in timeline order and answers queries about
them by position. `MemoryStore` (the events as Python objects, the query as a
predicate), `IndexedStore` (the same, with the word index the app saved beside a large
file's snapshot: the query as bitmaps) and `duck_store.DuckStore` (the events in a
DuckDB table, the query compiled to SQL) implement it. All take the same parsed Query,
and the property test in tests/model/test_stores.py holds them to the same answers.
`print`, `stats` and `dupes` read a file through `store_of`.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from .debug import debug
from .events import Event, Timeline

if TYPE_CHECKING:
    from .loading import Loaded
    from .query import Query
    from .sidecar import Layer
    from .word_index import WordIndex


TextCounts = Callable[[str, Sequence[int]], Counter[str]]
"""A column's name and the shown positions to how many of them have each text: the
word index's `text_counts`, which counts numbers rather than walking the events."""


class Store(Protocol):
    text_counts: TextCounts | None
    """Counted over an index; None: count the column's texts (output.stats)."""

    def __len__(self) -> int: ...

    def select(self, query: Query, layer: Layer | None = None) -> Sequence[int]:
        """The positions of the matching events, in timeline order."""
        ...

    def count(self, query: Query, layer: Layer | None = None) -> int: ...

    def events_at(self, positions: Sequence[int]) -> list[Event]:
        """The events at these positions (a screenful, a page of output)."""
        ...

    def get(self, event_id: str) -> Event | None: ...


class MemoryStore:
    """The events as objects, the query a Python predicate (query.py). `keep_columns`:
    keep the search texts the predicate makes (the app filters again and again), or
    make each when it is read (a command filters once)."""

    def __init__(self, timeline: Timeline, keep_columns: bool = True) -> None:
        self.timeline = timeline
        self.keep_columns = keep_columns
        self.text_counts: TextCounts | None = None

    def __len__(self) -> int:
        return len(self.timeline)

    def select(self, query: Query, layer: Layer | None = None) -> Sequence[int]:
        return query.filter(self.timeline, keep_columns=self.keep_columns, layer=layer)

    def count(self, query: Query, layer: Layer | None = None) -> int:
        return len(self.select(query, layer))

    def events_at(self, positions: Sequence[int]) -> list[Event]:
        events = self.timeline.events
        return [events[i] for i in positions]

    def get(self, event_id: str) -> Event | None:
        return self.timeline.get(event_id)


class IndexedStore(MemoryStore):
    """The events in memory or in a snapshot, and the file's word index (word_index.py):
    a query the index answers is bitmaps, any other the predicate."""

    def __init__(self, timeline: Timeline, index: WordIndex, keep_columns: bool = True) -> None:
        super().__init__(timeline, keep_columns)
        self.index = index
        self.text_counts = index.text_counts

    def select(self, query: Query, layer: Layer | None = None) -> Sequence[int]:
        if self.index.answers(query):
            try:
                return array("q", self.index.select(query, layer).tobytes())
            except ValueError as exc:  # its saved file cut short or gone meanwhile
                debug(f"word index not used: {exc}")
        return super().select(query, layer)


def store_of(loaded: Loaded, keep_columns: bool = True) -> Store:
    """The store for a loaded file: with the word index the app saved beside its snapshot
    when there is a current one (index_file.py), else in memory. Only a large file has a
    place for a snapshot: a small one never imports numpy nor pyroaring here."""
    place = loaded.cache_place
    if place is None:
        return MemoryStore(loaded.timeline, keep_columns)
    from .cache import index_path  # imported already: the file is large

    if index_path(place).exists():  # else the word index's code is not imported
        from . import index_file

        index = index_file.read(place, loaded.timeline)
        if index is not None:
            return IndexedStore(loaded.timeline, index, keep_columns)
    return MemoryStore(loaded.timeline, keep_columns)
