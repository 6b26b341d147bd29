"""Catching up (DESIGN.md §6, `is:new`): what a file held when it was last open.

Each open stores, in the user's data folder, when it was and one 64-bit fingerprint
per event: a hash of its id and everything the file says of it (not its place in the
file, so inserting an event elsewhere changes nothing). An event is new when its
fingerprint was not there last time: added, or changed. The first open of a file
finds nothing new; it has nothing to compare with.

Layout: MAGIC, the time of that open (a little-endian double, Unix seconds), then the
fingerprints (little-endian unsigned 64-bit), sorted.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import msgspec

from .dates import encode_hook
from .events import Event, Timeline
from .locations import data_dir
from .reading import STDIN
from .state import write_atomically_bytes

MAGIC: Final = b"TLSEEN1\n"


_ENCODER: Final = msgspec.msgpack.Encoder(enc_hook=encode_hook)


class _PlaceAsSaved(msgspec.Struct, gc=False):
    """A place as it was encoded before places kept keys of their own (`extra`): the
    fingerprints saved then stay those of the events that have none. (A citation and a
    status change leave an empty `extra` out; a place and a relation did not.)"""

    name: str
    lat: float | None = None
    lon: float | None = None


class _RelationAsSaved(msgspec.Struct, gc=False):
    id: str
    rel: str = "related"


def _as_saved(event: Event) -> Event:
    """The event as fingerprints encode it: without its place in the file, and its place
    and relations as they were encoded before they kept keys of their own."""
    changes: dict[str, object] = {"order": 0}
    place = event.place
    if place is not None and place.extra is None:
        changes["place"] = _PlaceAsSaved(place.name, place.lat, place.lon)
    if any(relation.extra is None for relation in event.related):
        changes["related"] = tuple(
            _RelationAsSaved(r.id, r.rel) if r.extra is None else r for r in event.related
        )
    return msgspec.structs.replace(event, **changes)


def fingerprint(event: Event) -> int:
    data = _ENCODER.encode(_as_saved(event))
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def fingerprints(timeline: Timeline) -> array[int]:
    """Each event's, in timeline order: as its snapshot saved them, else made here (3 s a
    million events; 11 s from a snapshot, which decodes each event first)."""
    saved = timeline.saved_fingerprints()
    return saved if saved is not None else array("Q", map(fingerprint, timeline.events))


class Seen:
    """What one file held when it was last open: `prints` sorted."""

    def __init__(self, at: float, prints: array[int]) -> None:
        self.at = at
        self.prints = prints

    def new_in(self, timeline: Timeline, prints: array[int]) -> set[str]:
        """Ids of the events whose fingerprints are not in this one."""
        return {timeline[i].id for i in _not_among(prints, self.prints)}


NUMPY_FROM: Final = 100_000
"""Fingerprints from which numpy sorts and compares them. Python's sort of a million
took 0.5 s and a frozenset of them 0.2 s, each one call that holds the interpreter:
catching up, in its thread, froze the app's screen that long on a reopen."""


def _not_among(prints: array[int], ordered: array[int]) -> list[int]:
    """The positions of `prints` not among the `ordered` ones."""
    if len(prints) < NUMPY_FROM:
        kept = frozenset(ordered)
        return [i for i, value in enumerate(prints) if value not in kept]
    import numpy as np

    new = np.frombuffer(prints, dtype=np.uint64)
    if not ordered:
        return list(range(len(new)))
    old = np.frombuffer(ordered, dtype=np.uint64)
    at = np.searchsorted(old, new).clip(max=len(old) - 1)
    found: list[int] = np.flatnonzero(old[at] != new).tolist()
    return found


def _sorted(prints: array[int]) -> array[int]:
    if len(prints) < NUMPY_FROM:
        return array("Q", sorted(prints))
    import numpy as np

    ordered = array("Q")
    ordered.frombytes(np.sort(np.frombuffer(prints, dtype=np.uint64)).tobytes())
    return ordered


def seen_key(paths: Sequence[str]) -> str:
    """What the app's per-file state is kept under: the file's full path (several files:
    theirs, sorted, a line each); empty for standard input, which has no state."""
    if not paths or STDIN in paths:
        return ""
    return "\n".join(sorted(str(Path(path).resolve()) for path in paths))


def seen_path(file_key: str) -> Path:
    digest = hashlib.sha256(file_key.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return data_dir() / "seen" / f"{digest}.bin"


def read_seen(file_key: str) -> Seen | None:
    """None: never opened before, or what was stored can't be read (then nothing is new)."""
    try:
        data = seen_path(file_key).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 8
    if not data.startswith(MAGIC) or (len(data) - head) % 8:
        return None
    (at,) = struct.unpack_from("<d", data, len(MAGIC))
    prints = array("Q")
    prints.frombytes(data[head:])
    if sys.byteorder == "big":
        prints.byteswap()
    return Seen(at, prints)


def write_seen(file_key: str, at: float, prints: array[int]) -> None:
    ordered = _sorted(prints)
    if sys.byteorder == "big":
        ordered.byteswap()
    write_atomically_bytes(seen_path(file_key), MAGIC + struct.pack("<d", at) + ordered.tobytes())
