"""Deterministic event files for benchmarks: `python bench/generate.py 100000 out.json`.

The same count always gives the same bytes. The mix is meant to look like real
conflict-event data: mostly day precision, some months, years, approximate and
uncertain dates, intervals, minutes with time zones; all six statuses; tags,
actors and places drawn from small vocabularies (as in ACLED exports);
non-ASCII text (Ukrainian, Korean, accents, an emoji now and then); sources
with quotes; relations to earlier events.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

STATUSES = (
    ["reported"] * 5 + ["confirmed"] * 3 + ["claimed"] * 3 + ["disputed", "denied", "context"]
)
KINDS = [
    "military",
    "diplomatic",
    "statement",
    "intelligence",
    "humanitarian",
    "economic",
    "context",
]
TAGS = [
    "shelling", "drone", "pow", "exchange", "casualties", "evacuation", "sanctions",
    "capture", "ceasefire", "energy", "grain", "treaty", "mobilisation", "deployment",
    "verification", "video", "протест", "포로", "réfugiés",
]  # fmt: skip
ACTORS = [
    "Ukraine", "Russia", "North Korea", "South Korea", "United States", "NATO",
    "European Union", "Belarus", "Wagner Group", "ICRC", "UN OCHA", "Türkiye",
    "Зеленський", "김정은",
]  # fmt: skip
PLACES = [
    ("Kursk region, Russia", 51.73, 36.19), ("Kharkiv, Ukraine", 49.99, 36.23),
    ("Donetsk region, Ukraine", 48.02, 37.8), ("Kyiv, Ukraine", 50.45, 30.52),
    ("Seoul, South Korea", 37.57, 126.98), ("Pyongyang, North Korea", 39.02, 125.75),
    ("Zaporizhzhia, Ukraine", 47.84, 35.14), ("Odesa, Ukraine", 46.48, 30.72),
    ("Belgorod, Russia", 50.6, 36.6), ("Kherson, Ukraine", 46.64, 32.61),
]  # fmt: skip
CLAIMANTS = [
    "Security Service of Ukraine", "Russian Defence Ministry", "South Korea NIS",
    "US Department of Defense", "Ukrainian General Staff", "ISW", "Reuters", "AFP",
]  # fmt: skip
VERBS = ["reports", "claims", "denies", "confirms", "announces", "estimates", "disputes", "shows"]
NOUNS = [
    "strikes near the front", "an exchange of prisoners", "new troop movements",
    "damage to energy infrastructure", "the capture of a village", "civilian casualties",
    "a drone attack overnight", "talks on a ceasefire", "evacuation of residents",
    "shipments of artillery shells", "обстріл околиць", "포로 교환", "réunion à Genève",
]  # fmt: skip


def date_text(rng: random.Random, day: int) -> str:
    year, rest = divmod(day, 365)
    year += 2014
    month = rest // 31 + 1 if rest < 365 else 12
    dom = min(rest % 31 + 1, 28)
    roll = rng.random()
    if roll < 0.70:
        text = f"{year}-{month:02d}-{dom:02d}"
    elif roll < 0.80:
        text = f"{year}-{month:02d}"
    elif roll < 0.83:
        text = f"{year}"
    elif roll < 0.90:
        end = min(dom + rng.randint(1, 5), 28)
        return f"{year}-{month:02d}-{dom:02d}/{year}-{month:02d}-{end:02d}"
    elif roll < 0.95:
        text = (
            f"{year}-{month:02d}-{dom:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}+02:00"
        )
    else:
        text = f"{year}-{month:02d}-{dom:02d}"
    qualifier = rng.random()
    if qualifier < 0.06:
        text += "~"
    elif qualifier < 0.09:
        text += "?"
    elif qualifier < 0.10:
        text += "%"
    return text


def event(rng: random.Random, index: int, count: int) -> dict[str, object]:
    day = index * 3650 // max(count, 1) + rng.randint(0, 3)
    actor = rng.choice(ACTORS)
    title = f"{actor} {rng.choice(VERBS)} {rng.choice(NOUNS)}"
    if rng.random() < 0.01:
        title += " 🚀"
    place = rng.choice(PLACES)
    item: dict[str, object] = {
        "id": f"e{index:07d}",
        "date": date_text(rng, day),
        "title": title,
        "summary": f"{title}. Sources differ on the details; figures are provisional ({index}).",
        "kind": rng.choice(KINDS),
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "actors": rng.sample(ACTORS, rng.randint(1, 3)),
        "place": {"name": place[0], "lat": place[1], "lon": place[2]},
        "status": rng.choice(STATUSES),
        "claimed_by": rng.sample(CLAIMANTS, rng.randint(1, 2)),
        "sources": [{"ref": "wire", "quote": f"{actor} said on the record ({index})."}],
    }
    if rng.random() < 0.3:
        item["reported"] = date_text(rng, day + rng.randint(1, 5)).split("/")[0]
    if index and rng.random() < 0.2:
        item["related"] = [
            {"id": f"e{rng.randrange(index):07d}", "rel": rng.choice(["follows", "confirms"])}
        ]
    return item


def write(count: int, path: Path) -> None:
    rng = random.Random(count)
    with path.open("w", encoding="utf-8") as out:
        header = {"title": "Synthetic timeline", "sources": {"wire": {"title": "Wire copy"}}}
        out.write(json.dumps(header)[:-1] + ',\n"events": [\n')
        for index in range(count):
            if index:
                out.write(",\n")
            out.write(json.dumps(event(rng, index, count), ensure_ascii=False))
        out.write("\n]}\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many events")
    parser.add_argument("path", type=Path, help="the file to write")
    arguments = parser.parse_args()
    write(arguments.count, arguments.path)
