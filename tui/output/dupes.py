"""`timeline dupes`: the possible duplicates, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from ..model.dupes import Pair
from ..model.events import STATUS_LABELS, Timeline
from ..model.text import plural


def dupes_lines(
    timeline: Timeline, pairs: Sequence[Pair], among: int, found: int | None = None
) -> Iterator[str]:
    """`0.93  titles 90% alike · same place`, then each event's date, file (of several),
    id, title and status. `found`: how many there were, if more than `pairs`."""
    total = len(pairs) if found is None else found
    shown = f" (the best {len(pairs)} shown)" if total > len(pairs) else ""
    yield f"{plural(total, 'possible duplicate')} among {plural(among, 'event')}, best first{shown}"
    for pair in pairs:
        yield ""
        yield f"{pair.score:.2f}  {pair.reasons()}"
        events = (timeline[pair.first], timeline[pair.second])
        columns = [[event.date.display() for event in events]]
        if timeline.files:
            columns.append([timeline.files[event.file] for event in events])
        columns.append([event.id for event in events])
        widths = [max(map(len, column)) for column in columns]
        for row, event in enumerate(events):
            cells = [
                f"{column[row]:<{width}}" for column, width in zip(columns, widths, strict=True)
            ]
            status = STATUS_LABELS[event.status]
            yield f"      {'  '.join(cells)}  {event.title} ({status})"


def dupes_json(timeline: Timeline, pairs: Sequence[Pair]) -> str:
    records = []
    for pair in pairs:
        events = []
        for event in (timeline[pair.first], timeline[pair.second]):
            record = {"id": event.id, "date": event.date.to_text(), "title": event.title}
            file = timeline.file_of(event)
            if file is not None:
                record = {"file": file, **record}
            events.append(record)
        records.append(
            {
                "score": pair.score,
                "titles_alike": pair.title,
                "same_place": pair.same_place,
                "different_places": pair.places_differ,
                "actors_in_both": list(pair.actors),
                "events": events,
            }
        )
    return json.dumps(records, ensure_ascii=False, indent=2)
