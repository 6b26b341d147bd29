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
from typing import TYPE_CHECKING, Final, TypeVar

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from .arrays import positions_array
from .events import (
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
from .text import fold

if TYPE_CHECKING:
    from .sidecar import Layer

_WORD: Final = re.compile(r"[^\W_]+")
"""A word: letters and digits (as the search's word start reads them)."""
_LAST: Final = "\U0010ffff"
ALL_TEXT: Final = "text"
"""The column a bare word searches: its words are indexed first."""
T = TypeVar("T")
Codes = tuple[list[str], npt.NDArray[np.uint32]]
"""A column's distinct texts, and each event's text as its number in that list."""
Progress = Callable[[int, int], None]
"""Told (events done, events in all) as the index is built."""


def _bitmap(positions: Iterable[int]) -> BitMap:
    return BitMap(array("I", positions))


def _from_mask(mask: npt.NDArray[np.bool_]) -> BitMap:
    return BitMap(array("I", np.flatnonzero(mask).astype(np.uint32).tobytes()))


class FieldIndex:
    """One field's words (sorted, each with its bitmap) and whole values."""

    def __init__(
        self, words: list[str], bitmaps: Sequence[BitMap], values: Mapping[str, BitMap]
    ) -> None:
        """`bitmaps`: one per word, in the same order. A saved index (index_file.py) reads
        each bitmap, of a word or a value, only when it is asked for."""
        self.words = words
        self.bitmaps = bitmaps
        self.values = values

    @classmethod
    def of(cls, words: dict[str, BitMap], values: dict[str, BitMap]) -> FieldIndex:
        ordered = sorted(words)
        return cls(ordered, [words[w] for w in ordered], values)

    def prefixed(self, prefix: str) -> BitMap:
        """The events with a word that starts with `prefix`."""
        low = bisect_left(self.words, prefix)
        high = bisect_left(self.words, prefix + _LAST, low)
        return BitMap.union(BitMap(), *self.bitmaps[low:high])

    def containing(self, part: str) -> BitMap:
        """The events with a word that has `part` anywhere in it."""
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
        searches), built first, as soon as it is there: the rest takes as long again."""
        count = len(timeline)
        passes = len(SEARCHED_COLUMNS) + len(GRADE_NUMBERS) + 1 + len(counted)
        ticks = _Ticks(progress, count * passes)
        fields = {ALL_TEXT: _field_index(timeline.texts(ALL_TEXT, keep=False), ticks)}
        if first_words is not None:
            first_words(WordIndex.of_parts(timeline, dict(fields), {}, BitMap(), {}, False))
        for name in SEARCHED_COLUMNS:
            if name != ALL_TEXT:
                fields[name] = _field_index(timeline.texts(name, keep=False), ticks)
        events = timeline.events
        grades = {
            name: np.fromiter((grade(e, timeline) for e in ticks.over(events)), np.int64)
            for name, grade in GRADE_NUMBERS.items()
        }
        with_history = _bitmap(i for i, e in enumerate(ticks.over(events)) if e.history)
        codes = {name: _codes(ticks.over(timeline.texts(name, keep=False))) for name in counted}
        self._hold(timeline, fields, grades, with_history, codes, True)

    @classmethod
    def of_parts(
        cls,
        timeline: Timeline,
        fields: dict[str, FieldIndex],
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
        fields: dict[str, FieldIndex],
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


REPEATED_BELOW: Final = 0.5
"""A field whose first texts are fewer than this share distinct is read a distinct text
at a time (tags, places, statuses: a million events, a few hundred texts)."""
_SAMPLE: Final = 2000


def _field_index(texts: Sequence[str], ticks: _Ticks | None = None) -> FieldIndex:
    sample = [texts[i] for i in range(min(len(texts), _SAMPLE))]
    read = texts if ticks is None else ticks.over(texts)
    if len(set(sample)) < REPEATED_BELOW * len(sample):
        return _repeated_field_index(read)
    return _distinct_field_index(read)


def _distinct_field_index(texts: Iterable[str]) -> FieldIndex:
    """Positions are gathered in `array('I')`s, four bytes each: a list would hold an int
    object per word of every event (gigabytes at a million events)."""
    words: dict[str, array[int]] = {}
    values: dict[str, array[int]] = {}
    findall = _WORD.findall
    for i, text in enumerate(texts):
        if not text:
            continue
        folded = fold(text)
        for word in set(findall(folded)):
            found = words.get(word)
            if found is None:
                words[word] = array("I", (i,))
            else:
                found.append(i)
        if folded.startswith(SEPARATOR):  # a list field: its whole values, for `tag:=pow`
            for value in set(folded.split(SEPARATOR)):
                if value:
                    values.setdefault(value, array("I")).append(i)
    # Each array freed as its bitmap is made.
    return FieldIndex.of(
        {word: BitMap(words.pop(word)) for word in list(words)},
        {value: BitMap(values.pop(value)) for value in list(values)},
    )


def _repeated_field_index(texts: Iterable[str]) -> FieldIndex:
    """The same, each distinct text folded and split once: its events' bitmap is added to
    each of its words' and whole values'."""
    having: dict[str, array[int]] = {}
    for i, text in enumerate(texts):
        if text:
            found = having.get(text)
            if found is None:
                having[text] = array("I", (i,))
            else:
                found.append(i)
    words: dict[str, list[BitMap]] = {}
    values: dict[str, list[BitMap]] = {}
    for text in list(having):
        events = BitMap(having.pop(text))
        folded = fold(text)
        for word in set(_WORD.findall(folded)):
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

    def needle(self, node: TextMatch, field: FieldIndex, needle: str) -> BitMap:
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
        texts = self.context().column(node.column)
        return _bitmap(i for i in candidates if search(texts[i]))

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
        position: Mapping[str, int] = self.index.timeline.position
        return _bitmap(sorted({position[i] for i in node.ids(self.layer) if i in position}))


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
