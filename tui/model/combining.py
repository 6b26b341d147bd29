"""Several event files as one timeline (DESIGN.md §6), and events marked the same.

Each event keeps the index of its file (`Event.file`) and the timeline the files'
names (`Timeline.files`): what the `file:` term, the facet and the list's mark read.
Nothing a file says is dropped: an id two files share is kept in both, shown as
`file:id` (and said); a named source two files define differently is kept in both the
same way. Events the analyst marked the same are shown once, with the sources of all.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from .datasets import is_glob
from .events import Event, Source, Timeline
from .loading import Loaded
from .problems import Problem, Severity
from .reading import STDIN
from .text import clean_text

if TYPE_CHECKING:
    from .sidecars import Sidecars


def file_names(paths: Sequence[str]) -> list[str]:
    """What each file is called in `file:`, its mark and `file:id`: its name, or the path
    as given where two files have one name (and for a glob, whose name is a pattern)."""
    names = ["<stdin>" if p == STDIN else p if is_glob(p) else Path(p).name for p in paths]
    counts = Counter(names)
    # A file's name reaches the list, `print` and the terminal's title bar: cleaned once here.
    return [
        clean_text(name if counts[name] == 1 else path)
        for name, path in zip(names, paths, strict=True)
    ]


def same_files(paths: Sequence[str]) -> str | None:
    """A file given twice (by any path to it), which would show each event twice."""
    seen: set[str] = set()
    for path in paths:
        key = path if path == STDIN else os.path.realpath(path)
        if key in seen:
            return path
        seen.add(key)
    return None


def combine(names: Sequence[str], parts: Sequence[Loaded]) -> Loaded:
    """One timeline from the files' (in the order given). Each file's problems name it."""
    ids = [set(part.timeline.position) for part in parts]
    shared_ids = {i for i, n in Counter(i for own in ids for i in own).items() if n > 1}
    renamed_refs = _shared_sources(names, parts)
    sources: dict[str, Source] = {}
    for index, part in enumerate(parts):
        renamed = renamed_refs[index]
        for key, source in part.timeline.sources.items():
            sources[renamed.get(key, key)] = source
    events: list[Event] = []
    original_ids: dict[str, str] = {}
    for index, (name, part) in enumerate(zip(names, parts, strict=True)):
        clashing = shared_ids & ids[index]
        refs = renamed_refs[index]
        for event in part.timeline.events:
            if clashing or refs:
                changed = _renamed(event, name, clashing, refs)
                if changed.id != event.id:
                    original_ids[changed.id] = event.id
                event = changed
            event.file = index
            events.append(event)
    titles = [part.timeline.title or name for name, part in zip(names, parts, strict=True)]
    title = " + ".join(dict.fromkeys(titles))
    timeline = Timeline(events, title=title, sources=sources, files=tuple(names))
    timeline.original_ids = original_ids
    problems = [
        msgspec.structs.replace(problem, file=problem.file or name)
        for name, part in zip(names, parts, strict=True)
        for problem in part.warnings
    ]
    problems += clashes(names, ids)
    return Loaded(timeline, problems, sum(part.skipped for part in parts))


def clashes(names: Sequence[str], ids: Sequence[set[str]]) -> list[Problem]:
    """One warning per id that more than one file uses."""
    holders: dict[str, list[str]] = {}
    for name, own in zip(names, ids, strict=True):
        for event_id in own:
            holders.setdefault(event_id, []).append(name)
    problems = []
    for event_id, files in sorted(holders.items()):
        if len(files) > 1:
            kept = " and ".join(f"{name}:{event_id}" for name in files)
            problems.append(
                Problem(
                    Severity.WARNING,
                    f'id "{event_id}" is in {_listed(files)}: each kept, shown as {kept}',
                    file=", ".join(files),
                )
            )
    return problems


def _listed(names: Sequence[str]) -> str:
    """`a, b and c` (never fewer than two)."""
    return ", ".join(names[:-1]) + " and " + names[-1]


def _shared_sources(names: Sequence[str], parts: Sequence[Loaded]) -> list[dict[str, str]]:
    """Per file, its named sources that another file defines differently: `name:key`."""
    defined: dict[str, list[Source]] = {}
    for part in parts:
        for key, source in part.timeline.sources.items():
            defined.setdefault(key, []).append(source)
    differ = {key for key, found in defined.items() if any(s != found[0] for s in found)}
    return [
        {key: f"{name}:{key}" for key in part.timeline.sources if key in differ}
        for name, part in zip(names, parts, strict=True)
    ]


def _renamed(event: Event, name: str, clashing: set[str], refs: dict[str, str]) -> Event:
    """The event with its id, its relations' targets and its citations' keys as the
    combined timeline calls them (the same event if none changes)."""
    changes: dict[str, object] = {}
    if event.id in clashing:
        changes["id"] = f"{name}:{event.id}"
    if any(r.id in clashing for r in event.related):
        changes["related"] = tuple(
            msgspec.structs.replace(r, id=f"{name}:{r.id}") if r.id in clashing else r
            for r in event.related
        )
    if any(ref.ref in refs for ref in event.sources):
        changes["sources"] = tuple(
            msgspec.structs.replace(ref, ref=refs[ref.ref])
            if ref.ref is not None and ref.ref in refs
            else ref
            for ref in event.sources
        )
    return msgspec.structs.replace(event, **changes) if changes else event


def merge_same(timeline: Timeline, groups: Iterable[Iterable[str]]) -> Timeline:
    """The timeline with each group of events the analyst marked the same shown once: the
    first in timeline order, citing the sources of all (the others are kept, for the
    detail pane, and their ids lead to it). Ids not in the timeline are left out."""
    position = timeline.position
    parent: dict[int, int] = {}

    def root(at: int) -> int:
        while parent.setdefault(at, at) != at:
            at = parent[at]
        return at

    for group in groups:  # linked pairs make one group: a = b and b = c, all three
        at = [position[i] for i in group if i in position]
        for other in at[1:]:
            first, second = sorted((root(at[0]), root(other)))
            parent[second] = first
    hidden = {at: root(at) for at in parent if root(at) != at}
    if not hidden:
        return timeline
    events = list(timeline.events)
    same: dict[str, list[Event]] = {}
    aliases: dict[str, str] = {}
    for other, shown in sorted(hidden.items()):
        same.setdefault(events[shown].id, []).append(events[other])
        aliases[events[other].id] = events[shown].id
    for shown_id, others in same.items():
        index = position[shown_id]
        event = events[index]
        cited = list(event.sources)
        cited += [ref for o in others for ref in o.sources if ref not in cited]
        events[index] = msgspec.structs.replace(event, sources=tuple(cited))
    kept = [e for i, e in enumerate(events) if i not in hidden]
    kept = [_relations_to(e, aliases) for e in kept]
    merged = Timeline(
        kept,
        title=timeline.title,
        description=timeline.description,
        sources=timeline.sources,
        extra=timeline.extra,
        files=timeline.files,
    )
    merged.original_ids = timeline.original_ids
    merged.aliases = aliases
    merged.same = same
    return merged


def _relations_to(event: Event, aliases: dict[str, str]) -> Event:
    if not any(r.id in aliases for r in event.related):
        return event
    related = tuple(
        msgspec.structs.replace(r, id=aliases[r.id]) if r.id in aliases else r
        for r in event.related
        if aliases.get(r.id) != event.id  # to the event itself: it is the same now
    )
    return msgspec.structs.replace(event, related=related)


def assembled(
    names: Sequence[str], parts: Sequence[Loaded], sidecars: Sidecars | None, *, attach: bool = True
) -> Loaded:
    """The files' events as one timeline, with the events their sidecars mark the same
    shown once. `attach`: tell `sidecars` how the timeline names its events (not in a
    thread: the caller does that on its own, once the timeline is shown)."""
    loaded = parts[0] if len(parts) == 1 else combine(names, parts)
    if sidecars is None:
        return loaded
    groups = sidecars.same_groups(loaded.timeline)
    if groups:
        loaded = msgspec.structs.replace(loaded, timeline=merge_same(loaded.timeline, groups))
    if attach:
        sidecars.attach(loaded.timeline)
    return loaded
