"""A sequence made item by item reads indexes and slices as a list does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model.sequences import Computed


class Squares(Computed[int]):
    def __init__(self, count: int) -> None:
        self.count = count
        self.made: list[int] = []

    def __len__(self) -> int:
        return self.count

    def item(self, index: int) -> int:
        self.made.append(index)
        return index * index


@given(
    st.integers(0, 12),
    st.integers(-15, 15),
    st.one_of(st.none(), st.integers(-15, 15)),
    st.one_of(st.none(), st.integers(-15, 15)),
    st.one_of(st.none(), st.integers(-3, 3).filter(bool)),
)
def test_indexes_and_slices_are_read_as_a_lists_are(
    count: int, index: int, start: int | None, stop: int | None, step: int | None
) -> None:
    made, expected = Squares(count), [i * i for i in range(count)]
    assert made[start:stop:step] == expected[start:stop:step]
    assert list(made) == expected
    if -count <= index < count:
        assert made[index] == expected[index]
    else:
        with pytest.raises(IndexError):
            made[index]
    assert all(0 <= i < count for i in made.made)  # only ever asked for what exists
