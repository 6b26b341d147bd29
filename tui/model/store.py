"""What a store answers (DESIGN.md §5), and the store for events held in memory.

A store holds one timeline's events in timeline order and answers queries about
them by position. Two implement it: `MemoryStore` (small files: the events as Python
objects, the query as a predicate) and `duck_store.DuckStore` (the events in a DuckDB
table, the query compiled to SQL). Both take the same parsed Query, and the property
test in tests/model/test_stores.py holds them to the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from .events import Event, Timeline

if TYPE_CHECKING:
    from .query import Query
    from .sidecar import Layer


class Store(Protocol):
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
    """The events as objects, the query a Python predicate (query.py)."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def __len__(self) -> int:
        return len(self.timeline)

    def select(self, query: Query, layer: Layer | None = None) -> Sequence[int]:
        return query.filter(self.timeline, layer=layer)

    def count(self, query: Query, layer: Layer | None = None) -> int:
        return len(self.select(query, layer))

    def events_at(self, positions: Sequence[int]) -> list[Event]:
        events = self.timeline.events
        return [events[i] for i in positions]

    def get(self, event_id: str) -> Event | None:
        return self.timeline.get(event_id)
