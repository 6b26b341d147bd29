"""Positions as numpy arrays, for the parts that work on large results with numpy (the
list's layout, the word index, facet counts). Imported only for those: a small file's
startup never loads numpy."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def positions_array(positions: Sequence[int]) -> npt.NDArray[np.int64]:
    """A result's positions as int64, without a copy where they are flat already."""
    if isinstance(positions, array) and positions.typecode == "q":
        return np.frombuffer(positions, dtype=np.int64)
    if isinstance(positions, range):
        return np.arange(positions.start, positions.stop, positions.step, dtype=np.int64)
    return np.fromiter(positions, dtype=np.int64, count=len(positions))
