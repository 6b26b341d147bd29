"""Possible duplicates at 100,000 events (the several-files issue: "finishes in seconds").

    python bench/dupes.py [--size N]

Two shapes, each generated deterministically under bench/data/ and each with planted
duplicates (the same event reported again, its title reworded or its source another,
its date the same or a day later):

- ours + a CSV: `bench/generate.py`'s file (a tiny vocabulary: titles are templates,
  so nearby events look alike; the hard case for blocking) and a plain CSV holding
  1,000 of its events reworded;
- ACLED: an ACLED-style export with a realistic spread of places (3,000) and pairs of
  sides, 1,000 rows reported twice.

For each: the load, the search (`possible_duplicates` on every event), the pairs found,
how many planted pairs are among them, and `timeline dupes` run whole as a user would.
Times are wall-clock, on this machine; the core count is printed (the search uses one).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write as write_ours  # noqa: E402
from tui.model.combining import combine, file_names  # noqa: E402
from tui.model.dupes import possible_duplicates  # noqa: E402
from tui.model.loading import load_path  # noqa: E402

DATA = ROOT / "bench" / "data"
TIMELINE = str(Path(sys.executable).parent / "timeline")
PLANTED = 1_000
SYNONYMS = {
    "reports": "says",
    "claims": "asserts",
    "confirms": "verifies",
    "announces": "declares",
    "denies": "rejects",
}


def reworded(title: str, rng: random.Random) -> str:
    words = title.split()
    words = [SYNONYMS.get(w, w) for w in words]
    if len(words) > 3 and rng.random() < 0.5:
        words = [*words[2:], "—", *words[:2]]
    return " ".join(words)


def write_planted_csv(ours: Path, path: Path, size: int) -> set[tuple[str, str]]:
    """1,000 of `ours`'s day-precise events, reworded, in a CSV; the pairs planted."""
    events = json.loads(ours.read_text(encoding="utf-8"))["events"]
    rng = random.Random(size)
    chosen = [e for e in rng.sample(events, PLANTED * 2) if len(e["date"]) == 10][:PLANTED]
    planted = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "date", "title", "place", "actors"])
        for event in chosen:
            writer.writerow(
                [
                    f"w-{event['id']}",
                    event["date"],
                    reworded(event["title"], rng),
                    event["place"]["name"],
                    "; ".join(event["actors"]),
                ]
            )
            planted.add((event["id"], f"w-{event['id']}"))
    return planted


SUB_TYPES = [
    "Armed clash",
    "Shelling/artillery/missile attack",
    "Air/drone strike",
    "Remote explosive/landmine/IED",
    "Non-state actor overtakes territory",
    "Attack",
]
SIDES = [
    ("Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)"),
    ("Military Forces of Ukraine (2019-)", "Military Forces of Russia (2000-)"),
    ("Military Forces of Russia (2000-)", "Civilians (Ukraine)"),
    ("Wagner Group", "Military Forces of Ukraine (2019-)"),
    ("Military Forces of North Korea (2011-)", "Military Forces of Ukraine (2019-)"),
    ("Unidentified Armed Group (Ukraine)", "Civilians (Ukraine)"),
]
SYLLABLES = ["ka", "lo", "vo", "ny", "sk", "pol", "ro", "zha", "dim", "ivka", "ne", "ho", "mar"]
SOURCES = ["Ukrinform", "Ministry of Defence of Russia", "Suspilne", "Kyiv Independent", "TASS"]


def write_acled(path: Path, size: int) -> set[tuple[str, str]]:
    rng = random.Random(size + 1)
    places = sorted(
        {"".join(rng.choice(SYLLABLES) for _ in range(3)).title() for _ in range(4000)}
    )[:3000]
    admins = ["Donetsk", "Kharkiv", "Zaporizhia", "Kherson", "Kursk", "Sumy", "Dnipropetrovsk"]
    header = [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "actor2",
        "assoc_actor_2",
        "inter2",
        "interaction",
        "civilian_targeting",
        "iso",
        "region",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "source_scale",
        "notes",
        "fatalities",
        "tags",
        "timestamp",
    ]
    planted = set()
    rows = []
    for index in range(size - PLANTED):
        day = 19000 + index * 1500 // size
        when = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
        side = rng.choice(SIDES)
        place = rng.choice(places)
        sub = rng.choice(SUB_TYPES)
        rows.append(
            {
                "event_id_cnty": f"UKR{index:07d}",
                "event_date": when,
                "year": when[:4],
                "time_precision": "1",
                "disorder_type": "Political violence",
                "event_type": "Battles" if "clash" in sub else "Explosions/Remote violence",
                "sub_event_type": sub,
                "actor1": side[0],
                "actor2": side[1],
                "country": "Ukraine",
                "admin1": rng.choice(admins),
                "location": place,
                "latitude": f"{47 + rng.random() * 4:.4f}",
                "longitude": f"{33 + rng.random() * 6:.4f}",
                "source": rng.choice(SOURCES),
                "notes": f"On {when}, {side[0]} {sub.lower()} near {place}. Fatalities: none.",
                "fatalities": "0",
            }
        )
    for index, row in enumerate(rng.sample(rows, PLANTED)):
        again = dict(row)
        again["event_id_cnty"] = f"DUP{index:07d}"
        again["source"] = "Another outlet"
        rows.append(again)
        planted.add((row["event_id_cnty"], again["event_id_cnty"]))
    rows.sort(key=lambda r: r["event_date"])
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        writer.writerows(rows)
    return planted


def measure(name: str, paths: list[Path], planted: set[tuple[str, str]]) -> None:
    started = time.perf_counter()
    parts = [load_path(str(p)) for p in paths]
    loaded = parts[0] if len(parts) == 1 else combine(file_names([str(p) for p in paths]), parts)
    timeline = loaded.timeline
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pairs = possible_duplicates(timeline)
    search_seconds = time.perf_counter() - started
    found = {
        frozenset((timeline.own_id(timeline[p.first]), timeline.own_id(timeline[p.second])))
        for p in pairs
    }
    recalled = sum(1 for pair in planted if frozenset(pair) in found)
    started = time.perf_counter()
    command = [TIMELINE, "dupes", *map(str, paths), "--limit", "10"]
    subprocess.run(command, capture_output=True, check=False)
    whole = time.perf_counter() - started
    print(f"\n{name}: {len(timeline):,} events")
    print(f"  load                     {load_seconds:8.2f} s")
    print(f"  possible_duplicates      {search_seconds:8.2f} s")
    print(f"  pairs found              {len(pairs):8,}")
    print(f"  planted pairs found      {recalled:8,} of {len(planted):,}")
    print(f"  `timeline dupes` whole   {whole:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    size = parser.parse_args().size
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"Possible duplicates, {os.cpu_count()} cores (the search runs on one)")
    ours = DATA / f"ours-{size}.json"
    if not ours.exists():
        write_ours(size - PLANTED, ours)
    wire = DATA / f"planted-{size}.csv"
    planted = write_planted_csv(ours, wire, size)
    measure("ours + a CSV reworded", [ours, wire], planted)
    acled = DATA / f"acled-dupes-{size}.csv"
    planted = write_acled(acled, size)
    measure("ACLED-style, 1,000 rows reported twice", [acled], planted)


if __name__ == "__main__":
    main()
