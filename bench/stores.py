"""The three evaluators of the filter language side by side (the data-core issue):

    python bench/stores.py [--size N]

For each shape, generated deterministically under bench/data/: the load, the building
of the word index and of the DuckDB store, then each query run by the in-memory
predicate, by the store's SQL and over the index, every answer checked against the
predicate's. Typing is `energy` one key at a time (each prefix a query), as the app
sees it. Ratios are of times measured in the same run; times are wall-clock on this
machine, whose core count is printed (the predicate and the index use one core, DuckDB
all of them).

Shapes:
- ours: `bench/generate.py`'s file (top-level named sources, a template vocabulary);
- bare: the same events as a bare array, each with unknown keys and a citation of a
  source the file does not define (a warning per event);
- prose: the first shape as a writer of prose keeps it: a paragraph break in each
  summary, a tab and a CRLF in one note in seven, indented two spaces as jq prints it
  (text the loader cleans);
- loose: the first shape as a script or a hand writes it: `$schema` first, a place as
  its name (every other event; the others with a map's `lng` for `lon`), a source cited
  by its ref alone, a citation's own `page`, a mark of direction before one title in a
  hundred, a key like a known one (`summery`) in one event in fifty, twenty columns of a
  database's own;
- acled: an ACLED-style CSV (3,000 made-up places, free-text notes);
- parquet: the first shape written as Parquet by `timeline print --format parquet`;
- hive: that Parquet file as DuckDB writes a lake of it, a folder per year and month
  (`year=2019/month=03/`), without our record in the files;
- table: the first shape's events as a spreadsheet would hold our columns: `;` between
  cells, CRLF line ends, columns in another order, lists joined with ` | `, a source as
  its link or title, a column of the sheet's own (`desk`), no ids on one row in ten.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dupes import write_acled  # noqa: E402
from bench.generate import write as write_ours  # noqa: E402
from tui.model.duck_store import DuckStore  # noqa: E402
from tui.model.events import Timeline  # noqa: E402
from tui.model.loading import load_path, source_size  # noqa: E402
from tui.model.query import parse_query  # noqa: E402
from tui.model.word_index import WordIndex  # noqa: E402

DATA = ROOT / "bench" / "data"
TYPED = ["e", "en", "ene", "ener", "energ", "energy"]
QUERIES = [
    "tag:pow -status:context",
    '"north korea"',
    "by:nis OR actor:ukraine",
    "after:2020-06 drone",
    "status:confirmed asof:2019-01",
    "corroboration:>=1 kind:military",
]


def shapes(size: int) -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    ours = DATA / f"stores-ours-{size}.json"
    if not ours.exists():
        write_ours(size, ours)
    bare = DATA / f"stores-bare-{size}.json"
    if not bare.exists():
        document = json.loads(ours.read_text(encoding="utf-8"))
        events = document["events"]
        for n, event in enumerate(events):
            event["x-desk"] = ["kyiv", "seoul", "washington"][n % 3]
            event["confidence"] = (n % 10) / 10
            event["sources"] = [*event.get("sources", []), {"ref": f"wire-{n % 50}"}]
        bare.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    prose = DATA / f"stores-prose-{size}.json"
    if not prose.exists():  # as a writer of prose keeps it, pretty-printed as jq prints it
        document = json.loads(ours.read_text(encoding="utf-8"))
        for n, event in enumerate(document["events"]):
            if event.get("summary"):
                event["summary"] = event["summary"].replace(". ", ".\n\n", 1)
            if n % 7 == 0:
                event["notes"] = f"Checked against\tthe wire.\r\nSee item {n}."
        prose.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    loose = DATA / f"stores-loose-{size}.json"
    if not loose.exists():  # as a script or a hand writes our format
        document = {"$schema": "timeline.schema.json"}  # as an editor adds it
        document |= json.loads(ours.read_text(encoding="utf-8"))
        for n, event in enumerate(document["events"]):
            place = event.get("place")
            if isinstance(place, dict) and n % 2:
                event["place"] = place["name"]  # a place as its name
            elif isinstance(place, dict) and "lon" in place:
                place["lng"] = place.pop("lon")  # as a map writes it
            event["sources"] = [s["ref"] if set(s) == {"ref"} else s for s in event["sources"]]
            for source in event["sources"]:
                if isinstance(source, dict):
                    source["page"] = n % 40  # a citation's own key
            if n % 100 == 0:
                event["title"] = "\u200f" + event["title"]  # a mark of direction
            if n % 50 == 0:
                event["summery"] = "a key like a known one"
            for k in range(20):  # a database's own columns
                event[f"col_{k}"] = (n * k) % 97 if k % 2 else f"v{(n + k) % 13}"
        loose.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    acled = DATA / f"stores-acled-{size}.csv"
    if not acled.exists():
        write_acled(acled, size)
    parquet = DATA / f"stores-ours-{size}.parquet"
    if not parquet.exists():
        from tui.formats.parquet import write_parquet

        timeline = load_path(str(ours)).timeline
        out = io.BytesIO()
        write_parquet(timeline, range(len(timeline)), out)
        parquet.write_bytes(out.getvalue())
    table = DATA / f"stores-table-{size}.csv"
    if not table.exists():
        write_table(json.loads(ours.read_text(encoding="utf-8")), table)
    hive = DATA / f"stores-hive-{size}"
    if not hive.exists():
        write_hive(parquet, hive)
    named = {"ours": ours, "bare": bare, "prose": prose, "loose": loose, "acled": acled}
    named |= {"parquet": parquet}
    named |= {"table": table}
    named |= {"hive": hive}
    return named | calendars(size, ours) | {"timelinejs": timelinejs(size, ours)}


def write_hive(parquet: Path, folder: Path) -> None:
    """The Parquet shape as DuckDB writes a lake of it: a folder per year and month of the
    event's date (`year=2019/month=03/data_0.parquet`), without our record in the files'
    metadata (as another tool writes them: named sources unresolved, `extra` a key)."""
    import duckdb

    scratch = folder.with_name(folder.name + ".tmp")
    with duckdb.connect() as connection:
        connection.execute(
            "COPY (SELECT *, substr(date, 1, 4) AS year, coalesce(nullif(substr(date, 6, 2),"
            " ''), 'none') AS month FROM read_parquet(?)) TO ?"
            " (FORMAT parquet, PARTITION_BY (year, month))",
            [str(parquet), str(scratch)],
        )
    scratch.rename(folder)


def calendars(size: int, ours: Path) -> dict[str, Path]:
    """Our events as iCalendar: as our export writes them (each carries our record), and
    as another tool would (the same VEVENTs without the X-TIMELINE properties)."""
    ics = DATA / f"stores-ours-{size}.ics"
    plain = DATA / f"stores-plain-{size}.ics"
    if not ics.exists() or not plain.exists():
        from tui.formats.ical import to_calendar

        timeline = load_path(str(ours)).timeline
        parts = []
        for start in range(0, len(timeline), 10_000):  # the library's objects, a part at a time
            text = to_calendar(timeline, range(start, min(start + 10_000, len(timeline))))[0]
            head, _, rest = text.decode("utf-8").partition("BEGIN:VEVENT")
            body = "BEGIN:VEVENT" + rest.removesuffix("END:VCALENDAR\r\n")
            parts.append((head if start == 0 else "") + body)
        whole = "".join(parts) + "END:VCALENDAR\r\n"
        ics.write_text(whole, encoding="utf-8", newline="")
        own = re.compile(r"X-TIMELINE-[A-Z]+:.*?\r\n(?: .*?\r\n)*")
        plain.write_text(own.sub("", whole), encoding="utf-8", newline="")
    return {"ics": ics, "ics-plain": plain}


def timelinejs(size: int, ours: Path) -> Path:
    """Our events as our TimelineJS export writes them (each slide carries our record)."""
    path = DATA / f"stores-ours-{size}.timeline.json"
    if not path.exists():
        from tui.formats.timelinejs import write_timelinejs

        timeline = load_path(str(ours)).timeline
        with path.open("w", encoding="utf-8") as out:
            write_timelinejs(timeline, range(len(timeline)), out)
    return path


TABLE_COLUMNS = (
    "title", "date", "id", "kind", "summary", "tags", "actors", "claimed_by", "place", "lat",
    "lon", "sources", "status", "desk", "notes",
)  # fmt: skip


def write_table(document: dict[str, object], path: Path) -> None:
    named = document.get("sources") or {}
    assert isinstance(named, dict) and isinstance(document["events"], list)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(TABLE_COLUMNS)
        for n, event in enumerate(document["events"]):
            place = event.get("place") or {}
            cited = [named.get(s.get("ref"), s) for s in event.get("sources", [])]
            source = next((s.get("url") or s.get("title") for s in cited if s), "")
            row = {
                **event,
                "id": "" if n % 10 == 3 else event["id"],
                "tags": " | ".join(event.get("tags", [])),
                "actors": " | ".join(event.get("actors", [])),
                "claimed_by": " | ".join(event.get("claimed_by", [])),
                "place": place.get("name", ""),
                "lat": place.get("lat", ""),
                "lon": place.get("lon", ""),
                "sources": source or "",
                "desk": ["Kyiv", "Seoul", "Washington"][n % 3],
            }
            writer.writerow(["" if row.get(c) is None else row.get(c, "") for c in TABLE_COLUMNS])


def timed(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def measure(name: str, path: Path) -> None:
    load, loaded = timed(lambda: load_path(str(path)))
    timeline: Timeline = loaded.timeline  # type: ignore[attr-defined]
    index_build, index = timed(lambda: WordIndex(timeline))
    store_build, store = timed(lambda: DuckStore.build(timeline))
    assert isinstance(index, WordIndex) and isinstance(store, DuckStore)
    size_mb = source_size(str(path)) / 1e6
    print(f"\n## {name}: {len(timeline):,} events, {size_mb:,.0f} MB ({path.name})")
    print(
        f"load {load:.1f} s · word index built in {index_build:.1f} s"
        f" ({index_build / load:.2f}x the load) · DuckDB store built in {store_build:.1f} s"
    )
    print("| query | found | predicate | SQL (DuckDB) | index | index / predicate |")
    print("|---|---|---|---|---|---|")
    typing: dict[str, list[float]] = {"predicate": [], "sql": [], "index": []}
    for text in [*TYPED, *QUERIES]:
        query = parse_query(text, timeline)
        predicate, expected = timed(lambda q=query: q.filter(timeline, keep_columns=True))
        sql, by_sql = timed(lambda q=query: store.select(q))
        indexed, by_index = timed(lambda q=query: index.select(q))
        assert list(by_sql) == expected, (name, text, "sql")  # type: ignore[call-overload]
        assert by_index.tolist() == expected, (name, text, "index")  # type: ignore[attr-defined]
        if text in TYPED:
            for key, value in (("predicate", predicate), ("sql", sql), ("index", indexed)):
                typing[key].append(value)
        print(
            f"| `{text}` | {len(expected):,} | {predicate * 1e3:,.1f} ms | {sql * 1e3:,.1f} ms"  # type: ignore[arg-type]
            f" | {indexed * 1e3:,.2f} ms | {indexed / predicate:.4f} |"
        )
    print(
        "typing `energy` a key at a time, per key:",
        " · ".join(
            f"{key} median {statistics.median(v) * 1e3:,.1f} ms, worst {max(v) * 1e3:,.1f} ms"
            for key, v in typing.items()
        ),
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--shape", action="append", help="only these shapes")
    args = parser.parse_args()
    print(f"# Evaluators at {args.size:,} events ({os.cpu_count()} cores)")
    for name, path in shapes(args.size).items():
        if not args.shape or name in args.shape:
            measure(name, path)


if __name__ == "__main__":
    main()
