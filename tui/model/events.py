"""Events and the timeline that holds them, sorted and indexed."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from functools import cached_property
from itertools import compress
from operator import attrgetter
from threading import Lock
from types import MappingProxyType
from typing import Annotated, Any, Final, Protocol, overload

import msgspec

from .dates import DAY, When, civil_from_seconds, days_from_civil, days_in_month, month_start
from .text import fold


class Status(StrEnum):
    CONFIRMED = "confirmed"
    REPORTED = "reported"
    CLAIMED = "claimed"
    DISPUTED = "disputed"
    DENIED = "denied"
    CONTEXT = "context"


# An event whose file gives no status has None: "not stated", shown as such and
# never replaced by a guess. Each table has an entry for it.
STATUS_LABELS: Final[dict[Status | None, str]] = {s: s.value for s in Status} | {None: "not stated"}
STATUS_MARKS: Final[dict[Status | None, str]] = {
    Status.CONFIRMED: "✓",
    Status.REPORTED: "●",
    Status.CLAIMED: "?",
    Status.DISPUTED: "≠",
    Status.DENIED: "✗",
    Status.CONTEXT: "○",
    None: "–",
}
STATUS_MEANINGS: Final[dict[Status | None, str]] = {
    Status.CONFIRMED: "independently verified",
    Status.REPORTED: "reported by credible sources, not independently verified",
    Status.CLAIMED: "asserted by a party to the events",
    Status.DISPUTED: "sources disagree",
    Status.DENIED: "a party denies it",
    Status.CONTEXT: "background, not part of the story",
    None: "the file does not say how sure this is",
}

OWN: Final = "\x85"
"""Starts the encoded names of the model's own fields (`extra`, `order`, `file`; for the
snapshot): a key in a file can't reach them, as the fast decoder leaves a file that may
name one to the builder (fast_path.own_name_written), which keeps such a key as unknown.
msgspec refuses the C0 controls in a field's name."""

# Relations understood in both directions; any other `rel` is shown as written.
INVERSE_RELATIONS: Final = {
    "confirms": "confirmed-by",
    "follows": "followed-by",
    "responds-to": "response",
    "contradicts": "contradicts",
    "part-of": "has-part",
}
INVERSE_RELATIONS.update({v: k for k, v in list(INVERSE_RELATIONS.items())})


# The model's structs are also the fast loader's decoding types: a clean event file
# is decoded straight into them (see loading.py). They reject unknown keys: the fast
# path then decodes into types made with a field for each (fast_path._event_keeping) and
# keeps them in `extra`, as the full path does; their own bookkeeping fields have names
# no file uses.
Extra = dict[str, Any] | None
"""Keys the format doesn't know, kept as found (None, not {}, when there are none: a
million empty dicts would cost memory and the collector's time). Events, named sources,
and the places, citations, relations and status changes in an event each keep theirs."""


def _extra() -> Any:
    return msgspec.field(default=None, name=OWN + "extra")


class Place(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    name: str
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    lon: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    extra: Extra = _extra()


Credibility = Annotated[int, msgspec.Meta(ge=1, le=6)]
"""Admiralty information credibility: 1 confirmed by other sources … 5 improbable,
6 cannot be judged (DESIGN.md §7)."""
Reliability = Annotated[str, msgspec.Meta(pattern="^[A-F]$")]
"""Admiralty source reliability: A completely reliable … E unreliable, F cannot be judged."""
Sha256 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]


class SourceRef(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False, omit_defaults=True
):
    """A citation on an event: a key into the file's `sources`, or a source given inline.
    (Encoded without its empty fields, as the CSV export writes it.)"""

    ref: str | None = None
    quote: str | None = None
    title: str | None = None
    url: str | None = None
    credibility: Credibility | None = None
    extra: Extra = _extra()


class Source(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None
    reliability: Reliability | None = None
    archived: str | None = None
    """The URL of a copy the analyst kept (an archive's)."""
    captured: str | None = None
    """When that copy was made (EDTF)."""
    sha256: Sha256 | None = None
    """Of the captured content."""
    extra: Extra = _extra()


NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
"""Where the full loader would drop or replace an empty string, the fast one
(which decodes into these structs) refuses it and hands the file over."""


class Relation(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    id: str
    rel: NonEmpty = "related"
    extra: Extra = _extra()


class StatusChange(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False, omit_defaults=True
):
    """One step of an event's status history (DESIGN.md §7): from `date` on, the status
    was `status`, on the word of `by`; `note` says what changed (a revised figure)."""

    date: When
    status: Status | None = None
    by: tuple[NonEmpty, ...] = ()
    note: str | None = None
    extra: Extra = _extra()


class Event(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: Annotated[str, msgspec.Meta(min_length=1)]
    date: When
    title: Annotated[str, msgspec.Meta(pattern=r"\S")]
    summary: str | None = None
    kind: NonEmpty | None = None
    tags: tuple[NonEmpty, ...] = ()
    actors: tuple[NonEmpty, ...] = ()
    place: Place | None = None
    reported: When | None = None
    status: Status | None = None
    claimed_by: tuple[NonEmpty, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    related: tuple[Relation, ...] = ()
    notes: str | None = None
    history: tuple[StatusChange, ...] = ()
    extra: Extra = _extra()
    order: int = msgspec.field(default=0, name=OWN + "order")
    """Position in the file (set by the full loader; the fast one sorts stably instead)."""
    file: int = msgspec.field(default=0, name=OWN + "file")
    """Which of several files opened together it is from (an index into the timeline's
    `files`; see combining.py)."""

    @property
    def known_from(self) -> int:
        """When the event counts as public: once the whole of `reported` (else its own
        date) has passed."""
        return (self.reported or self.date).known_by

    @property
    def reported_differs(self) -> bool:
        return self.reported is not None and self.reported.to_text() != self.date.to_text()


def unknown_keys(event: Event) -> Iterator[tuple[str, Any]]:
    """Every key of the event the format doesn't know, with its value: the event's own
    (`x-desk`), then those inside its place, citations, relations and status changes,
    named by where they are (`place.lng`, `sources[1].section`)."""
    yield from (event.extra or {}).items()
    if event.place is not None and event.place.extra:
        yield from ((f"place.{key}", value) for key, value in event.place.extra.items())
    lists: dict[str, Sequence[SourceRef | Relation | StatusChange]] = {
        "sources": event.sources,
        "related": event.related,
        "history": event.history,
    }
    for name, items in lists.items():
        for i, item in enumerate(items):
            for key, value in (item.extra or {}).items():
                yield f"{name}[{i}].{key}", value


def has_nested_unknown_keys(event: Event) -> bool:
    """Whether its place, a citation, a relation or a status change has keys the format
    doesn't know (which a table's fixed columns have no place for)."""
    parts: list[Any] = [event.place, *event.sources, *event.related, *event.history]
    return any(part is not None and part.extra for part in parts)


class Link(msgspec.Struct, frozen=True, gc=False):
    """A relation as seen from one event: `rel` reads "this event <rel> target"."""

    rel: str
    target: str
    inverse: bool = False


class PositionSet(Protocol):
    """Positions that know how many they are (a list, a range, a bitmap)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[int]: ...


FEW_TEXTS: Final = 64
"""Timeline.texts_at makes (or reads) each text on its own for fewer than one event in
this many, and reads the whole column for more."""


class Timeline:
    """The events of one file in timeline order, with the lookups the app and filter need."""

    files: tuple[str, ...] = ()
    """With several files open at once, what each is called (by `Event.file`); else empty."""
    original_ids: Mapping[str, str] = MappingProxyType({})
    """An id two files share is shown as `file:id`: what its own file calls it."""
    aliases: Mapping[str, str] = MappingProxyType({})
    """The id of an event marked the same as another (shown once), and the other's."""
    same: Mapping[str, Sequence[Event]] = MappingProxyType({})
    """For an event shown once for several, the others (combining.py)."""

    def __init__(
        self,
        events: Sequence[Event],
        *,
        title: str | None = None,
        description: str | None = None,
        sources: dict[str, Source] | None = None,
        extra: dict[str, Any] | None = None,
        files: tuple[str, ...] = (),
    ) -> None:
        # Stable: events at the same start and span keep their file order.
        self.events: Sequence[Event] = sorted(events, key=SORT_KEY)
        self.title = title
        self.description = description
        self.sources: dict[str, Source] = sources or {}
        self.extra: dict[str, Any] = extra or {}
        self.files = files
        self._columns: dict[str, list[str]] = {}
        self._column_lock = Lock()
        self._indexed = False
        self._referrers: dict[str, list[int]] | None = None
        """For each id, where the events whose relations point at it are (found on first use)."""

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __getitem__(self, index: int) -> Event:
        return self.events[index]

    def positions_of(self, ids: Iterable[str]) -> dict[str, int]:
        """Where each of these ids is, for those the timeline has (a snapshot looks them
        up together)."""
        position = self.position
        return {i: position[i] for i in ids if i in position}

    @cached_property
    def position(self) -> dict[str, int]:
        """Where each id is in timeline order."""
        position = dict(zip(map(EVENT_ID, self.events), range(len(self.events)), strict=True))
        if len(position) < len(self.events):  # repeated ids (a file with errors): the first
            position = {}
            for index, event in enumerate(self.events):
                position.setdefault(event.id, index)
        for alias, shown in self.aliases.items():
            position[alias] = position[shown]
        return position

    def get(self, event_id: str) -> Event | None:
        index = self.position.get(event_id)
        return None if index is None else self.events[index]

    def events_at(self, positions: Iterable[int]) -> Iterator[Event]:
        """The events at these positions, in their order: what a writer reads (a snapshot
        reads them a window at a time, not one query per event)."""
        events = self.events
        return (events[i] for i in positions)

    @cached_property
    def starts(self) -> array[int]:
        """Each event's `date.sort_start`, in timeline order: the list, the density strip
        and the jumps read these flat numbers instead of a million objects."""
        return array("q", map(SORT_START, self.events))

    @cached_property
    def filed(self) -> array[int]:
        """Each event's heading key, `date.filed`."""
        return array("q", map(FILED, self.events))

    @cached_property
    def earliests(self) -> array[int]:
        """Each event's `date.earliest`, for the filter's date terms."""
        return array("q", map(EARLIEST, self.events))

    @cached_property
    def latests(self) -> array[int]:
        """Each event's `date.latest`."""
        return array("q", map(LATEST, self.events))

    def date_at(self, index: int) -> When:
        return self.events[index].date

    @cached_property
    def known(self) -> array[int]:
        """When each event became public (`known_from`), for replay."""
        return array("q", map(KNOWN_FROM, self.events))

    @cached_property
    def known_days(self) -> list[int]:
        """The days on which something became known, in order (for replay)."""
        return sorted(set(map(DAY.__rfloordiv__, self.known)))

    @staticmethod
    def shown(column: array[int], positions: Sequence[int]) -> array[int]:
        """The values of a per-event array for the events at `positions`."""
        if isinstance(positions, range) and positions == range(len(column)):
            return column
        return array("q", map(column.__getitem__, positions))

    @cached_property
    def latest(self) -> When | None:
        """The date that ends last (found once: the header shows it on every refresh)."""
        return max(self.events, key=LATEST).date if self.events else None

    @cached_property
    def latest_year(self) -> int | None:
        """The year of the latest event, for query dates written without one."""
        point = None if self.latest is None else self.latest.end or self.latest.start
        return point.year if point is not None else None

    def years_with(self, month: int, day: int | None = None) -> list[int]:
        """The years in which some event starts in that month (on that day, if given):
        for a date written without a year. A bisection per year of the span."""
        if not self.events:
            return []
        starts = self.starts
        first, last = civil_from_seconds(starts[0])[0], civil_from_seconds(starts[-1])[0]
        years = []
        for year in range(first, last + 1):
            if day is None:
                low, high = month_start(year, month), month_start(year, month + 1)
            elif day <= days_in_month(year, month):
                low = days_from_civil(year, month, day) * DAY
                high = low + DAY
            else:
                continue
            if bisect_left(starts, low) < bisect_left(starts, high):
                years.append(year)
        return years

    @cached_property
    def span(self) -> str:
        """`24 Feb 2022 – 13 Jan 2025`."""
        return span_between(self.events[0].date, self.latest) if self.latest else ""

    def column(self, name: str) -> list[str]:
        """One search text per event for a field, built once on first use. The text is
        as written: queries match case and accents in their own regex, which is much
        cheaper than folding a million texts."""
        column = self._columns.get(name)
        if column is None:
            with self._column_lock:  # the app builds them in more than one thread
                column = self._columns.get(name)
                if column is None:
                    column = self._columns[name] = self._made(name)
        return column

    def _made(self, name: str) -> list[str]:
        extract = COLUMN_EXTRACTORS[name]
        return [extract(event, self) for event in self.events]

    def has_column(self, name: str) -> bool:
        """Whether the column is made already (reading it would not wait)."""
        return name in self._columns

    def forget_columns(self) -> None:
        """Let go of the search texts kept (all text's: 0.5 GB at a million events), and
        make none ahead, once the word index answers every query: it reads only its
        candidates' texts (texts_at)."""
        with self._column_lock:
            self._columns = {}
            self._indexed = True

    def prepare_search(self) -> None:
        """Make ahead what the filter's predicate reads first (all text), in the app's
        background: the first keystroke does not wait for a million texts."""
        with self._column_lock:  # made under it, as by column(): forget_columns waits
            if not self._indexed and "text" not in self._columns:
                self._columns["text"] = self._made("text")

    def saved_fingerprints(self) -> array[int] | None:
        """Each event's fingerprint (seen.py), in timeline order, as a snapshot saved
        them; None: they are made from the events."""
        return None

    def texts(self, name: str, keep: bool = True) -> Sequence[str]:
        """The column, or (not `keep`: a one-off filter, the word index) each text made
        when it is read, unless the column is kept already."""
        if keep or name in self._columns:
            return self.column(name)
        return _TextsOnDemand(self, COLUMN_EXTRACTORS[name])

    def texts_at(self, name: str, positions: PositionSet) -> Iterator[str]:
        """The column's texts at these positions, in their order (a phrase's candidates
        through the word index). More than one event in FEW_TEXTS reads the whole column,
        kept for the next such query (reading a million events' all text from a snapshot
        for each took 1.0-1.7 s a phrase, against 0.15-0.6 s once kept); fewer are each
        made (or read) on their own."""
        if name in self._columns or len(positions) * FEW_TEXTS > len(self):
            column = self.column(name)
            return (column[i] for i in positions)
        return self._texts_of_few(name, positions)

    def _texts_of_few(self, name: str, positions: Iterable[int]) -> Iterator[str]:
        texts = _TextsOnDemand(self, COLUMN_EXTRACTORS[name])
        return (texts[i] for i in positions)

    def prose(self) -> Sequence[str]:
        """Each event's prose (what all text has beside ALL_TEXT_FIELDS), made when read."""
        return _TextsOnDemand(self, _prose)

    def links(self, event: Event) -> list[Link]:
        """The event's relations, its own and the inverses of those pointing at it."""
        own = [Link(r.rel, r.id) for r in event.related]
        seen = {(link.rel, link.target) for link in own}
        for index in self.referrers_of(event.id):
            other = self.events[index]
            for relation in other.related:
                if relation.id != event.id:
                    continue
                inverse = INVERSE_RELATIONS.get(relation.rel)
                rel = inverse if inverse is not None else f"{relation.rel} (from)"
                if (rel, other.id) not in seen:
                    seen.add((rel, other.id))
                    own.append(Link(rel, other.id, True))
        return own

    def prepare_links(self) -> None:
        """Find every event's backlinks ahead, in the app's background: the event view
        shows them, and finding them walks every event."""
        self.referrers()

    def referrers_of(self, event_id: str) -> list[int]:
        """Where the events that point at this id are (a snapshot finds them without
        reading every id's)."""
        return self.referrers().get(event_id, [])

    def referrers(self) -> dict[str, list[int]]:
        """For each id, where the events that point at it are."""
        if self._referrers is None:
            referrers: dict[str, list[int]] = {}
            events = self.events
            for index in compress(range(len(events)), map(RELATED, events)):
                for relation in events[index].related:
                    referrers.setdefault(relation.id, []).append(index)
            self._referrers = referrers
        return self._referrers

    def named_source(self, ref: SourceRef) -> Source | None:
        """The file's source a citation names by key, if it names one the file has."""
        return self.sources.get(ref.ref) if ref.ref else None

    def source_label(self, ref: SourceRef) -> str:
        """What to call a citation: the source's title, else its key, else its URL."""
        source = self.named_source(ref)
        if ref.title:
            return ref.title
        if source is not None and source.title:
            return source.title
        return ref.ref or ref.url or "unnamed source"

    def file_of(self, event: Event) -> str | None:
        """The name of the file the event is from, when several are open."""
        return self.files[event.file] if self.files else None

    def own_id(self, event: Event) -> str:
        """The id as its own file writes it (not `file:id`)."""
        return self.original_ids.get(event.id, event.id)

    def source_url(self, ref: SourceRef) -> str | None:
        source = self.named_source(ref)
        return ref.url or (source.url if source is not None else None)


class _TextsOnDemand(Sequence[str]):
    def __init__(self, timeline: Timeline, extract: Callable[[Event, Timeline], str]) -> None:
        self.events = timeline.events
        self.timeline = timeline
        self.extract = extract

    def __len__(self) -> int:
        return len(self.events)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        extract, timeline = self.extract, self.timeline
        if isinstance(index, slice):  # a batch searched together (query.TextMatch.found_in)
            return [extract(event, timeline) for event in self.events[index]]
        return extract(self.events[index], timeline)


def span_of(timeline: Timeline, positions: Sequence[int]) -> str:
    """`24 Feb 2022 – 13 Jan 2025`: from the first of these events' start (positions in
    timeline order) to the latest end, read from the flat arrays: no event is decoded but
    the two the span names."""
    if not positions:
        return ""
    latest = max(positions, key=timeline.latests.__getitem__)  # the first of the latest
    return span_between(timeline.date_at(positions[0]), timeline.date_at(latest))


def span_between(first: When, last: When) -> str:
    start = first.start or first.end
    end = last.end or last.start
    assert start is not None and end is not None
    if start.plain_display() == end.plain_display():
        return start.plain_display()
    return f"{start.plain_display()} – {end.plain_display()}"


SORT_KEY: Final = attrgetter("date.sort_key")
SORT_START: Final = attrgetter("date.sort_start")
FILED: Final = attrgetter("date.filed")
KNOWN_FROM: Final = attrgetter("known_from")
EVENT_ID: Final = attrgetter("id")
RELATED: Final = attrgetter("related")
LATEST: Final = attrgetter("date.latest")
EARLIEST: Final = attrgetter("date.earliest")

# Provenance computed from an event's citations (DESIGN.md §7; provenance.py says more).


def _who(timeline: Timeline, ref: SourceRef) -> list[str]:
    """What makes two citations the same source: the named source they cite, its
    publisher (else the link's host), the link, the quote, the name it goes by."""
    named = timeline.named_source(ref)
    url = timeline.source_url(ref)
    keys = ["name:" + fold(timeline.source_label(ref))]
    if ref.ref:
        keys.append("ref:" + ref.ref)
    if named is not None and named.publisher:
        keys.append("publisher:" + fold(named.publisher))
    elif url:
        from urllib.parse import urlsplit  # not on `print`'s way when no source has a link

        host = urlsplit(url).hostname or url
        keys.append("host:" + host.lower().removeprefix("www."))
    if url:
        keys.append("url:" + url.rstrip("/"))
    if ref.quote and ref.quote.strip():
        keys.append("quote:" + " ".join(fold(ref.quote).split()))
    return keys


def independent_sources(timeline: Timeline, event: Event) -> int:
    """How many independent sources the event cites (a union of citations that share
    any key of `_who`)."""
    refs = event.sources
    if len(refs) <= 1:
        return len(refs)
    parent = list(range(len(refs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, ref in enumerate(refs):
        for key in _who(timeline, ref):
            j = first.setdefault(key, i)
            parent[root(i)] = root(j)
    return len({root(i) for i in range(len(refs))})


def best_reliability(timeline: Timeline, event: Event) -> str | None:
    grades = [
        named.reliability
        for ref in event.sources
        if (named := timeline.named_source(ref)) is not None and named.reliability
    ]
    return min(grades) if grades else None


def best_credibility(event: Event) -> int | None:
    grades = [ref.credibility for ref in event.sources if ref.credibility is not None]
    return min(grades) if grades else None


GRADE_NUMBERS: Final[dict[str, Callable[[Event, Timeline], int]]] = {
    "corroboration": lambda e, t: independent_sources(t, e),
    "reliability": lambda e, t: " ABCDEF".index(best_reliability(t, e) or " "),
    "credibility": lambda e, t: best_credibility(e) or 0,
}
"""Each grade as a number, 0 where the event has none (reliability A is 1 … F is 6):
the columns that SQL and the word index compare."""


SEPARATOR: Final = "\x1f"
"""Joins the values of a list field, so a search never matches across two values."""


def _joined(values: Sequence[str]) -> str:
    return SEPARATOR + SEPARATOR.join(values) + SEPARATOR if values else ""


def _sources_text(event: Event, timeline: Timeline) -> str:
    """What `source:` searches: each citation's key, title (its own or the named
    source's), the named source's publisher, and the link."""
    parts: list[str] = []
    for ref in event.sources:
        named = timeline.named_source(ref)
        publisher = named.publisher if named is not None else None
        parts += [ref.ref or "", timeline.source_label(ref), publisher or ""]
        parts.append(timeline.source_url(ref) or "")
    return _joined(parts)


ALL_TEXT_FIELDS: Final = ("title", "kind", "actor", "tag", "by", "place")
"""The fields whose words, with those of the prose (_prose), are all text's words: the
word index puts all text's words together from theirs (a test holds the two to that)."""


def _prose(event: Event, timeline: Timeline) -> str:
    return "\n".join(
        [event.summary or "", event.notes or ""] + [r.quote or "" for r in event.sources]
    )


def _all_text(event: Event, timeline: Timeline) -> str:
    parts = [event.title, event.summary or "", event.notes or "", event.kind or ""]
    parts += event.actors + event.tags + event.claimed_by
    parts += [event.place.name if event.place else ""]
    parts += [ref.quote or "" for ref in event.sources]
    return "\n".join(parts)


COLUMN_EXTRACTORS: Final[dict[str, Callable[[Event, Timeline], str]]] = {
    "text": _all_text,
    "title": lambda e, t: e.title,
    "tag": lambda e, t: _joined(e.tags),
    "actor": lambda e, t: _joined(e.actors),
    "place": lambda e, t: _joined([e.place.name]) if e.place else "",
    "status": lambda e, t: _joined([STATUS_LABELS[e.status]]),
    "kind": lambda e, t: _joined([e.kind]) if e.kind else "",
    "by": lambda e, t: _joined(e.claimed_by),
    "source": _sources_text,
    "id": lambda e, t: _joined([e.id]),
    "file": lambda e, t: _joined([t.files[e.file]]) if t.files else "",
    "corroboration": lambda e, t: _joined([str(independent_sources(t, e))]),
    "reliability": lambda e, t: _joined([grade]) if (grade := best_reliability(t, e)) else "",
    "credibility": lambda e, t: _joined([str(grade)]) if (grade := best_credibility(e)) else "",
}
