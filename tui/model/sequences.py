"""A sequence whose items are made only when asked for: events decoded from a snapshot,
bitmaps from a saved index, the rows of a file read by DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Computed(Sequence[T]):
    """Subclasses say how many items there are and make the one at an index (from 0,
    in range); negative indexes and slices are read here, as a list's are."""

    def __len__(self) -> int:
        raise NotImplementedError

    def item(self, index: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        count = len(self)
        if isinstance(index, slice):
            return [self.item(i) for i in range(count)[index]]
        if not -count <= index < count:
            raise IndexError(index)
        return self.item(index % count)


class Chained(Computed[T]):
    """`first`, then `rest` from `start` on, nothing copied: the few thousand warnings
    placed in the file, then the million left as they were."""

    def __init__(self, first: Sequence[T], rest: Sequence[T], start: int = 0) -> None:
        self._first = first
        self._rest = rest
        self._start = start

    def __len__(self) -> int:
        return len(self._first) + max(len(self._rest) - self._start, 0)

    def item(self, index: int) -> T:
        if index < len(self._first):
            return self._first[index]
        return self._rest[self._start + index - len(self._first)]
