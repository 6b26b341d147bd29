"""The filter language over an index (DESIGN.md §5): a roaring bitmap of positions per
word and per field value, so that a keystroke costs a bisection over the sorted words
and a union of bitmaps, never a search of every event's text.

A word is a run of letters and digits in the folded text: each starts where a word
starts, so `soldier` at a word start is every word that begins with it. A needle in a
script written without spaces may start inside a word (the words that contain it); a
needle with punctuation or spaces inside (`"north korea"`, `u.s.`) takes the events
that have all its words, and the query's own regex checks those. Date and grade terms
are numpy comparisons over flat arrays; AND, OR and NOT are bitmap operations.

Its answers are the in-memory predicate's, position for position: the property test
in tests/model/test_stores.py holds the three evaluators to that.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from .arrays import positions_array
from .events import (
    ALL_TEXT_FIELDS,
    COLUMN_EXTRACTORS,
    GRADE_NUMBERS,
    SEPARATOR,
    Timeline,
)
from .query import (
    COMPARISONS,
    SEARCHED_COLUMNS,
    Context,
    DateMatch,
    Evaluator,
    GradeMatch,
    IsMatch,
    LayerMatch,
    Query,
    TextMatch,
    at_word_start,
)
from .sequences import Computed
from .text import fold

if TYPE_CHECKING:
    from .sidecar import Layer

_WORD: Final = re.compile(r"[^\W_]+")
"""A word: letters and digits (as the search's word start reads them)."""
LAST: Final = "\U0010ffff"
"""After every word that starts with a prefix: `prefix + LAST` bounds them."""
ALL_TEXT: Final = "text"
"""The column a bare word searches: its words are indexed first."""
_PROSE: Final = "prose"
T = TypeVar("T")
Codes = tuple[list[str], npt.NDArray[np.uint32]]
"""A column's distinct texts, and each event's text as its number in that list."""
Progress = Callable[[int, int], None]
"""Told (events done, events in all) as the index is built."""


def _bitmap(positions: Iterable[int]) -> BitMap:
    return BitMap(array("I", positions))


def _from_mask(mask: npt.NDArray[np.bool_]) -> BitMap:
    return BitMap(array("I", np.flatnonzero(mask).astype(np.uint32).tobytes()))


class Field(Protocol):
    """What a query asks of a field's index: built here (FieldIndex), or saved
    (index_file.SavedField)."""

    @property
    def values(self) -> Mapping[str, BitMap]:
        """Each whole value's events (`tag:=pow`), by its folded text."""
        ...

    def prefixed(self, prefix: str) -> BitMap:
        """The events with a word that starts with `prefix`."""
        ...

    def containing(self, part: str) -> BitMap:
        """The events with a word that has `part` anywhere in it."""
        ...


_MANY: Final = 0xFFFFFFFF
"""In Postings.single: the word is in more than one event (its bitmap is in `many`)."""


class Postings(Computed[BitMap]):
    """Each word's events, in the words' order: a word met in one event only (an id, a
    figure, a name written once) as that position, four bytes; any other as its bitmap.
    A bitmap each took some 200 bytes: two words of every event of the bench's million
    are met once, 0.4 GB."""

    def __init__(self) -> None:
        self.single = array("I")
        self.many: list[BitMap | None] = []

    def append(self, events: BitMap | array[int]) -> None:
        if len(events) == 1:
            self.single.append(next(iter(events)))
            self.many.append(None)
        else:
            self.single.append(_MANY)
            self.many.append(events if isinstance(events, BitMap) else BitMap(events))

    def append_from(self, other: Postings, k: int) -> None:
        """Another's k-th, as it is held there."""
        self.single.append(other.single[k])
        self.many.append(other.many[k])

    def __len__(self) -> int:
        return len(self.single)

    def item(self, k: int) -> BitMap:
        found = self.many[k]
        return found if found is not None else BitMap((self.single[k],))

    def union(self, low: int, high: int) -> BitMap:
        """The events of words `low` to `high` (not included): those met once in one go."""
        single = np.frombuffer(self.single, dtype=np.uint32)[low:high]
        found = BitMap(array("I", single[single != _MANY].tobytes()))
        many = [events for events in self.many[low:high] if events is not None]
        return BitMap.union(found, *many) if many else found

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Postings):
            return NotImplemented
        return self.single == other.single and self.many == other.many

    __hash__ = None  # type: ignore[assignment]


class Keyed(Mapping[str, BitMap]):
    """Sorted keys (a field's whole values) and their events, found by bisection."""

    def __init__(self, keys: list[str], postings: Postings) -> None:
        self.keys_sorted = keys
        self.postings = postings

    def __getitem__(self, key: str) -> BitMap:
        keys = self.keys_sorted
        k = bisect_left(keys, key)
        if k < len(keys) and keys[k] == key:
            return self.postings[k]
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.keys_sorted)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_sorted)


def _sorted(found: Mapping[str, BitMap | array[int]]) -> tuple[list[str], Postings]:
    ordered = sorted(found)
    postings = Postings()
    for key in ordered:
        postings.append(found[key])
    return ordered, postings


class FieldIndex:
    """One field's words (sorted, each with its events) and whole values."""

    def __init__(self, words: list[str], bitmaps: Postings, values: Keyed) -> None:
        """`bitmaps`: the events of each word, in the same order."""
        self.words = words
        self.bitmaps = bitmaps
        self.values = values

    @classmethod
    def of(cls, words: Mapping[str, BitMap], values: Mapping[str, BitMap]) -> FieldIndex:
        return cls(*_sorted(words), Keyed(*_sorted(values)))

    def prefixed(self, prefix: str) -> BitMap:
        low = bisect_left(self.words, prefix)
        high = bisect_left(self.words, prefix + LAST, low)
        return self.bitmaps.union(low, high)

    def containing(self, part: str) -> BitMap:
        bitmaps = self.bitmaps
        found = [bitmaps[k] for k, word in enumerate(self.words) if part in word]
        return BitMap.union(BitMap(), *found)


class WordIndex:
    """A timeline's index, built once (in a thread of its own in the app)."""

    def __init__(
        self,
        timeline: Timeline,
        progress: Progress | None = None,
        counted: Sequence[str] = (),
        first_words: Callable[[WordIndex], None] | None = None,
    ) -> None:
        """`counted`: the columns whose texts `text_counts` counts (the facets).
        `progress` is told how far the build is every TICK items of each pass over the
        events: the app's thread stops there when the index is no longer wanted, and
        waits there while a filter runs (the two would share the interpreter).
        `first_words` is given the index of the words of all text (what a bare word
        searches), put together first from the fields it is made of and its prose, as
        soon as it is there: the rest takes about as long again."""
        count = len(timeline)
        columns = {name: timeline.texts(name, keep=False) for name in SEARCHED_COLUMNS}
        prose = timeline.prose()
        repeated = {name for name, texts in {**columns, _PROSE: prose}.items() if _repeats(texts)}
        counted_apart = [
            name for name in counted if name not in repeated and name not in GRADE_NUMBERS
        ]
        passes = len(columns) + len(GRADE_NUMBERS) + 1 + len(counted_apart)
        ticks = _Ticks(progress, count * passes)
        fields: dict[str, FieldIndex] = {}
        codes: dict[str, Codes] = {}

        def index(name: str, texts: Sequence[str]) -> FieldIndex:
            field, found = _field_index(ticks.over(texts), name in repeated)
            if found is not None:
                codes[name] = found
            return field

        # All text's words are its fields' and its prose's. (Its whole values are never
        # asked for: no query names its column.)
        for name in ALL_TEXT_FIELDS:
            fields[name] = index(name, columns[name])
        parts = [fields[name] for name in ALL_TEXT_FIELDS]
        fields[ALL_TEXT] = _merged([*parts, index(_PROSE, prose)])
        if first_words is not None:
            first_words(WordIndex.of_parts(timeline, dict(fields), {}, BitMap(), {}, False))
        for name in columns:
            if name not in fields:
                fields[name] = index(name, columns[name])
        events = timeline.events
        grades = {
            name: np.fromiter((grade(e, timeline) for e in ticks.over(events)), np.int64)
            for name, grade in GRADE_NUMBERS.items()
        }
        with_history = _bitmap(i for i, e in enumerate(ticks.over(events)) if e.history)
        for name in counted_apart:
            codes[name] = _codes(ticks.over(timeline.texts(name, keep=False)))
        for name in set(counted) & set(grades):
            codes[name] = _grade_codes(grades[name], name, timeline)
        self._hold(timeline, fields, grades, with_history, {n: codes[n] for n in counted}, True)

    @classmethod
    def of_parts(
        cls,
        timeline: Timeline,
        fields: Mapping[str, Field],
        grades: dict[str, npt.NDArray[np.int64]],
        with_history: BitMap,
        codes: dict[str, Codes],
        complete: bool = True,
    ) -> WordIndex:
        """An index put together from its parts: what was saved (index_file.py), or the
        first words of one being built (not `complete`)."""
        index = cls.__new__(cls)
        index._hold(timeline, fields, grades, with_history, codes, complete)
        return index

    def _hold(
        self,
        timeline: Timeline,
        fields: Mapping[str, Field],
        grades: dict[str, npt.NDArray[np.int64]],
        with_history: BitMap,
        codes: dict[str, Codes],
        complete: bool,
    ) -> None:
        self.timeline = timeline
        self.complete = complete
        """Every field, grade and count is there: else only `answers` says what it can do."""
        self.universe = BitMap()
        self.universe.add_range(0, len(timeline))
        self.fields = fields
        self.earliest = np.frombuffer(timeline.earliests, dtype=np.int64)
        self.latest = np.frombuffer(timeline.latests, dtype=np.int64)
        self.known = np.frombuffer(timeline.known, dtype=np.int64)
        self.grades = grades
        self.with_history = with_history
        self.codes = codes

    def answers(self, query: Query) -> bool:
        """Whether `select` can answer this query (an index still being built has only the
        words of all text, which is what bare words search)."""
        return self.complete or _Answerable(self).node(query.root)

    def select(self, query: Query, layer: Layer | None = None) -> npt.NDArray[np.int64]:
        """The positions of the matching events, in timeline order."""
        found = _Evaluation(self, query, layer).node(query.root)
        return np.frombuffer(found.to_array(), dtype=np.uint32).astype(np.int64)

    def count(self, query: Query, layer: Layer | None = None) -> int:
        return len(_Evaluation(self, query, layer).node(query.root))

    def text_counts(self, name: str, positions: Sequence[int]) -> Counter[str]:
        """How many of the events at `positions` have each text of a counted column: a
        count of small numbers (each event's text's number), never a walk of the events."""
        texts, codes = self.codes[name]
        if not (isinstance(positions, range) and positions == range(len(codes))):
            codes = codes[positions_array(positions)]
        counts = np.bincount(codes, minlength=len(texts))
        return Counter({texts[k]: int(counts[k]) for k in np.flatnonzero(counts).tolist()})


TICK: Final = 4096
"""Items between two reports of a build's progress."""


class _Ticks:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def over(self, items: Iterable[T]) -> Iterator[T]:
        """The items, progress told every TICK of them and once at the end."""
        progress = self.progress
        if progress is None:
            yield from items
            return
        n = 0
        for n, item in enumerate(items, 1):
            if n % TICK == 0:
                progress(min(self.done + n, self.total), self.total)
            yield item
        self.done += n
        progress(min(self.done, self.total), self.total)


def _codes(texts: Iterable[str]) -> Codes:
    """Each distinct text once, and each event's text as its number in that list."""
    number: dict[str, int] = {}
    numbered = number.setdefault
    codes = np.fromiter((numbered(t, len(number)) for t in texts), np.uint32)
    return list(number), codes


def _grade_codes(grades: npt.NDArray[np.int64], name: str, timeline: Timeline) -> Codes:
    """A grade's texts numbered from its numbers: the text is the number's (each distinct
    number's text is made from the first event that has it)."""
    counts = np.bincount(grades)
    present = np.flatnonzero(counts)
    number = np.zeros(len(counts), np.uint32)
    number[present] = np.arange(len(present), dtype=np.uint32)
    extract, events = COLUMN_EXTRACTORS[name], timeline.events
    texts = [extract(events[int(np.argmax(grades == g))], timeline) for g in present.tolist()]
    return texts, number[grades]


REPEATS_ABOVE: Final = 0.01
"""A field whose sampled texts repeat more often than this is read a distinct text at a
time (tags, places, statuses, titles copied from a feed). Sampled texts drawn from D
distinct ones repeat about SAMPLE² / 2D times, so this takes fields of fewer than about
SAMPLE² / (2 × 0.01 × SAMPLE) = 100,000 distinct texts."""
SAMPLE: Final = 2000


def _repeats(texts: Sequence[str]) -> bool:
    """Whether texts taken across the whole column (not its first ones: a file sorted by
    date repeats little locally) repeat; empty texts, which both readings skip, aside."""
    step = max(1, len(texts) // SAMPLE)
    sample = [text for i in range(0, len(texts), step) if (text := texts[i])]
    if not sample:  # all empty, as it looks: grouped at no cost, and its codes come free
        return True
    return len(sample) - len(set(sample)) > REPEATS_ABOVE * len(sample)


def _field_index(texts: Iterable[str], repeated: bool) -> tuple[FieldIndex, Codes | None]:
    """A field's index, and (read a distinct text at a time) its codes."""
    if not repeated:
        return _distinct_field_index(texts), None
    codes = _codes(texts)
    return _repeated_field_index(*codes), codes


def _merged(parts: list[FieldIndex]) -> FieldIndex:
    """A field whose words are all its parts' words, each word's events the union of the
    parts' events for it (no whole values). A word of one part keeps that part's events
    as they are held there: an index's bitmaps are never changed in place, and a million
    copies take seconds."""
    found: dict[str, list[tuple[Postings, int]]] = {}
    for part in parts:
        postings = part.bitmaps
        for k, word in enumerate(part.words):
            found.setdefault(word, []).append((postings, k))
    ordered = sorted(found)
    merged = Postings()
    for word in ordered:
        each = found.pop(word)
        if len(each) == 1:
            merged.append_from(*each[0])
        else:
            merged.append(BitMap.union(*(postings[k] for postings, k in each)))
    return FieldIndex(ordered, merged, Keyed([], Postings()))


def _words(folded: str) -> Iterable[str]:
    """A folded text's words, each once. Most of its pieces between spaces are words
    already (`isalnum` is what the regex's `[^\\W_]` reads), and the regex is the slow
    part: only the others are searched."""
    pieces = set(folded.split())
    odd = [piece for piece in pieces if not piece.isalnum()]
    if odd:
        pieces.difference_update(odd)
        pieces.update(_WORD.findall(" ".join(odd)))
    return pieces


def _distinct_field_index(texts: Iterable[str]) -> FieldIndex:
    """Positions are gathered in `array('I')`s, four bytes each: a list would hold an int
    object per word of every event (gigabytes at a million events)."""
    words: dict[str, array[int]] = {}
    values: dict[str, array[int]] = {}
    for i, text in enumerate(texts):
        if not text:
            continue
        folded = fold(text)
        for word in _words(folded):
            found = words.get(word)
            if found is None:
                words[word] = array("I", (i,))
            else:
                found.append(i)
        if folded.startswith(SEPARATOR):  # a list field: its whole values, for `tag:=pow`
            for value in set(folded.split(SEPARATOR)):
                if value:
                    values.setdefault(value, array("I")).append(i)
    # Each array freed as its events are held. A whole value that is one word in the same
    # events (an id) shares the word's: where all are (ids), the words are the values.
    ordered = sorted(words)
    postings = Postings()
    shared: list[int] = []
    for k, word in enumerate(ordered):
        positions = words.pop(word)
        postings.append(positions)
        if values.get(word) == positions:
            shared.append(k)
            del values[word]
    if shared and not values and len(shared) == len(ordered):
        return FieldIndex(ordered, postings, Keyed(ordered, postings))
    own: dict[str, BitMap | array[int]] = {ordered[k]: postings[k] for k in shared}
    own.update(values)
    return FieldIndex(ordered, postings, Keyed(*_sorted(own)))


def _repeated_field_index(texts: list[str], numbers: npt.NDArray[np.uint32]) -> FieldIndex:
    """The same from a column's codes (_codes): each distinct text folded and split once,
    and its events' bitmap added to each of its words' and whole values'."""
    ordered = array("I", np.argsort(numbers, kind="stable").astype(np.uint32).tobytes())
    ends = np.cumsum(np.bincount(numbers, minlength=len(texts))).tolist()
    words: dict[str, list[BitMap]] = {}
    values: dict[str, list[BitMap]] = {}
    for text, start, end in zip(texts, [0, *ends], ends, strict=False):  # one start more
        if not text:
            continue
        events = BitMap(ordered[start:end])
        folded = fold(text)
        for word in _words(folded):
            words.setdefault(word, []).append(events)
        if folded.startswith(SEPARATOR):
            for value in set(folded.split(SEPARATOR)):
                if value:
                    values.setdefault(value, []).append(events)
    return FieldIndex.of(
        {word: BitMap.union(*found) for word, found in words.items()},
        {value: BitMap.union(*found) for value, found in values.items()},
    )


class _Evaluation(Evaluator[BitMap]):
    def __init__(self, index: WordIndex, query: Query, layer: Layer | None) -> None:
        self.index = index
        self.query = query
        self.layer = layer

    def everything(self) -> BitMap:
        return self.index.universe

    def all_of(self, parts: list[BitMap]) -> BitMap:
        return BitMap.intersection(*parts)

    def any_of(self, parts: list[BitMap]) -> BitMap:
        return BitMap.union(*parts)

    def negated(self, part: BitMap) -> BitMap:
        return self.index.universe - part

    def text_match(self, node: TextMatch) -> BitMap:
        field = self.index.fields[node.column]
        found = BitMap.union(BitMap(), *(self.needle(node, field, n) for n in node.needles))
        if node.column == "status" and self.query.as_of is not None:
            # As known then: an event with a status history is read by the predicate.
            changing = self.index.with_history
            predicate = node.compile(self.context())
            found = (found - changing) | _bitmap(i for i in changing if predicate(i))
        return found

    def needle(self, node: TextMatch, field: Field, needle: str) -> BitMap:
        folded = fold(needle)
        if node.exact:
            return field.values.get(folded, BitMap())
        word_start = at_word_start(needle)
        words = [(m.start(), m.group()) for m in _WORD.finditer(folded)]
        if words == [(0, folded)]:  # one word: the index's answer is the whole answer
            return field.prefixed(folded) if word_start else field.containing(folded)
        # Punctuation or spaces inside: the events with each word, then the regex. A word
        # after punctuation starts a word in the text too; the first, unless it is at a
        # word start, may be inside one.
        candidates = self.index.universe
        for start, word in words:
            inside = start == 0 and not word_start
            candidates = candidates & (field.containing(word) if inside else field.prefixed(word))
        search = re.compile(TextMatch(node.column, [needle]).pattern()).search
        texts = self.index.timeline.texts_at(node.column, candidates)
        return _bitmap(i for i, text in zip(candidates, texts, strict=True) if search(text))

    def context(self) -> Context:
        return Context(self.index.timeline, True, self.layer, self.query.as_of)

    def date_match(self, node: DateMatch) -> BitMap:
        index = self.index
        if node.op == "after":
            return _from_mask(index.earliest > node.latest)
        if node.op == "before":
            return _from_mask(index.latest < node.earliest)
        if node.op == "asof":
            return _from_mask(index.known <= node.latest)
        return _from_mask((index.earliest <= node.latest) & (index.latest >= node.earliest))

    def grade_match(self, node: GradeMatch) -> BitMap:
        grades = self.index.grades[node.column]
        compared = COMPARISONS[node.op](grades, node.value)
        if node.column != "corroboration":
            compared &= grades != 0  # not graded: no comparison holds
        return _from_mask(compared)

    def layer_match(self, node: LayerMatch | IsMatch) -> BitMap:
        if self.layer is None:
            return BitMap()
        found = self.index.timeline.positions_of(node.ids(self.layer))
        return _bitmap(sorted(set(found.values())))


class _Answerable(Evaluator[bool]):
    """Whether each term has what it reads in an index still being built."""

    def __init__(self, index: WordIndex) -> None:
        self.index = index

    def everything(self) -> bool:
        return True

    def all_of(self, parts: list[bool]) -> bool:
        return all(parts)

    def any_of(self, parts: list[bool]) -> bool:
        return all(parts)

    def negated(self, part: bool) -> bool:
        return part

    def text_match(self, node: TextMatch) -> bool:
        return node.column in self.index.fields and node.column != "status"

    def date_match(self, node: DateMatch) -> bool:
        return True

    def grade_match(self, node: GradeMatch) -> bool:
        return node.column in self.index.grades

    def layer_match(self, node: LayerMatch | IsMatch) -> bool:
        return True
