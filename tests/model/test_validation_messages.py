"""Every problem the validator reports, word for word and where: the message, the JSON
path and the line and column, for a small file with one thing wrong in each field
(DESIGN.md §1). A changed message, a lost path or a wrong position fails here."""

from __future__ import annotations

import json
import mmap
from pathlib import Path
from typing import Any

import pytest

from tui.model.loading import LoadOptions, load_bytes
from tui.model.problems import LoadError
from tui.model.validation import has_repeated_keys, repeated_keys

CASES = [
    (
        "id empty",
        {"events": [{"id": "", "date": "2025-01-09", "title": "T"}]},
        ['f.json:4:10: error: event "": `id` is empty (at $.events[0].id)'],
    ),
    (
        "title missing",
        {"events": [{"id": "a", "date": "2025"}]},
        ['f.json:3:3: error: event "a": missing `title`: expected a string (at $.events[0])'],
    ),
    (
        "date missing",
        {"events": [{"id": "a", "title": "T"}]},
        [
            'f.json:3:3: error: event "a": missing `date`: expected a date like '
            "2025-01-09 (at $.events[0])"
        ],
    ),
    (
        "reported bad",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "reported": "2025-13"}]},
        [
            'f.json:7:22: error: event "a": `reported` "2025-13": month 13 is out of '
            "range (01-12) (at $.events[0].reported)"
        ],
    ),
    (
        "date not a string",
        {"events": [{"id": "a", "date": 2025, "title": "T"}]},
        [
            'f.json:5:12: error: event "a": `date`: expected a date string, found a '
            "number (at $.events[0].date)"
        ],
    ),
    (
        "tags a boolean",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "tags": True}]},
        [
            'f.json:7:12: error: event "a": `tags`: expected a list of strings, found '
            "a boolean (at $.events[0].tags)"
        ],
    ),
    (
        "tags with a number",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "tags": ["pow", 3]}]},
        [
            'f.json:9:5: error: event "a": `tags`: expected a string, found a number '
            "(at $.events[0].tags[1])"
        ],
    ),
    (
        "actors a string",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "actors": "Kim"}]},
        [
            'f.json:7:14: warning: event "a": `actors`: expected a list, found one '
            "string (at $.events[0].actors)"
        ],
    ),
    (
        "claimed_by a list of lists",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "claimed_by": [["x"]]}]},
        [
            'f.json:8:5: error: event "a": `claimed_by`: expected a string, found a '
            "list (at $.events[0].claimed_by[0])"
        ],
    ),
    (
        "summary a list",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "summary": ["x"]}]},
        [
            'f.json:7:15: error: event "a": `summary`: expected a string, found a '
            "list (at $.events[0].summary)"
        ],
    ),
    (
        "notes a number",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "notes": 3}]},
        [
            'f.json:7:13: error: event "a": `notes`: expected a string, found a '
            "number (at $.events[0].notes)"
        ],
    ),
    (
        "kind an object",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "kind": {}}]},
        [
            'f.json:7:12: error: event "a": `kind`: expected a string, found an '
            "object (at $.events[0].kind)"
        ],
    ),
    (
        "status near",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "status": "confimred"}]},
        [
            'f.json:7:14: error: event "a": `status` "confimred" is not one of '
            "confirmed, reported, claimed, disputed, denied, context; did you mean "
            '"confirmed"? (at $.events[0].status)'
        ],
    ),
    (
        "status far",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "status": "zzzz"}]},
        [
            'f.json:7:14: error: event "a": `status` "zzzz" is not one of confirmed, '
            "reported, claimed, disputed, denied, context (at $.events[0].status)"
        ],
    ),
    (
        "status a number",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "status": 3}]},
        [
            'f.json:7:14: error: event "a": `status` "3" is not one of confirmed, '
            "reported, claimed, disputed, denied, context (at $.events[0].status)"
        ],
    ),
    (
        "place a number",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "place": 3}]},
        [
            'f.json:7:13: error: event "a": `place`: expected an object or a name, '
            "found a number (at $.events[0].place)"
        ],
    ),
    (
        "place blank name",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "place": "   "}]},
        [],
    ),
    (
        "place no name",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "place": {"lat": 1.0, "lon": 2.0}}
            ]
        },
        ['f.json:7:13: error: event "a": missing `name`: expected a string (at $.events[0].place)'],
    ),
    (
        "place unknown key",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"name": "Kursk", "alt": 3},
                }
            ]
        },
        [],
    ),
    (
        "place lat 90",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"name": "Pole", "lat": 90.0, "lon": 180.0},
                }
            ]
        },
        [],
    ),
    (
        "place lat -90 lon -180",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"name": "Pole", "lat": -90.0, "lon": -180.0},
                }
            ]
        },
        [],
    ),
    (
        "place lat 90.5",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"name": "X", "lat": 90.5, "lon": 0},
                }
            ]
        },
        [
            'f.json:9:12: error: event "a": `lat` 90.5 is out of range (±90) (at '
            "$.events[0].place.lat)"
        ],
    ),
    (
        "place lon -180.5",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"name": "X", "lat": 0, "lon": -180.5},
                }
            ]
        },
        [
            'f.json:10:12: error: event "a": `lon` -180.5 is out of range (±180) (at '
            "$.events[0].place.lon)"
        ],
    ),
    (
        "place lat a string",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"name": "X", "lat": "1", "lon": 0},
                }
            ]
        },
        [
            'f.json:9:12: error: event "a": `lat`: expected a number, found a string '
            "(at $.events[0].place.lat)"
        ],
    ),
    (
        "related not a list",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "related": "b"}]},
        [
            'f.json:7:15: error: event "a": `related`: expected a list, found a '
            "string (at $.events[0].related)"
        ],
    ),
    (
        "related item a string",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "related": ["b"]},
                {"id": "b", "date": "2025-01-09", "title": "T"},
            ]
        },
        [
            'f.json:8:5: error: event "a": a relation: expected an object with `id` '
            "and `rel`, found a string (at $.events[0].related[0])"
        ],
    ),
    (
        "related no id",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "related": [{"rel": "causes"}]}
            ]
        },
        [
            'f.json:8:5: error: event "a": missing `id`: expected a string (at '
            "$.events[0].related[0])"
        ],
    ),
    (
        "related unknown key",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "related": [{"id": "b", "rel": "causes", "why": 1}],
                },
                {"id": "b", "date": "2025-01-09", "title": "T"},
            ]
        },
        [],
    ),
    (
        "related rel a number",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "related": [{"id": "b", "rel": 3}]},
                {"id": "b", "date": "2025-01-09", "title": "T"},
            ]
        },
        [
            'f.json:10:13: error: event "a": `rel`: expected a string, found a number '
            "(at $.events[0].related[0].rel)"
        ],
    ),
    (
        "sources not a list",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "sources": "x"}]},
        [
            'f.json:7:15: error: event "a": `sources`: expected a list, found a '
            "string (at $.events[0].sources)"
        ],
    ),
    (
        "sources item a number",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "sources": [3, {"title": "ok"}]}
            ]
        },
        [
            'f.json:8:5: error: event "a": a source: expected an object, found a '
            "number (at $.events[0].sources[0])"
        ],
    ),
    (
        "source ref a number",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "sources": [{"ref": 3}]}]},
        [
            'f.json:9:13: error: event "a": `ref`: expected a string, found a number '
            "(at $.events[0].sources[0].ref)"
        ],
    ),
    (
        "source quote title url types",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"quote": 1, "title": [], "url": {}}],
                }
            ]
        },
        [
            'f.json:9:15: error: event "a": `quote`: expected a string, found a '
            "number (at $.events[0].sources[0].quote)",
            'f.json:10:15: error: event "a": `title`: expected a string, found a list '
            "(at $.events[0].sources[0].title)",
            'f.json:11:13: error: event "a": `url`: expected a string, found an '
            "object (at $.events[0].sources[0].url)",
        ],
    ),
    (
        "source ref unknown key",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"title": "t", "page": 3}],
                }
            ]
        },
        [],
    ),
    (
        "named sources a list",
        {"sources": [], "events": [{"id": "a", "date": "2025-01-09", "title": "T"}]},
        [
            "f.json:2:13: error: `sources`: expected an object of named sources, "
            "found a list (at $.sources)"
        ],
    ),
    (
        "named source a string",
        {"sources": {"bbc": "BBC"}, "events": [{"id": "a", "date": "2025-01-09", "title": "T"}]},
        ["f.json:3:10: error: source `bbc`: expected an object, found a string (at $.sources.bbc)"],
    ),
    (
        "named source odd key",
        {
            "sources": {"the bbc": "BBC", "Nis": 3},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            "f.json:3:14: error: source `the bbc`: expected an object, found a string "
            '(at $.sources["the bbc"])',
            "f.json:4:10: error: source `Nis`: expected an object, found a number (at "
            "$.sources.Nis)",
        ],
    ),
    (
        "named source published bad",
        {
            "sources": {"bbc": {"title": "BBC", "published": "2025-13"}},
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "sources": [{"ref": "bbc"}]}
            ],
        },
        [
            "f.json:5:17: error: `published`: month 13 is out of range (01-12) at "
            "column 6 (at $.sources.bbc.published)"
        ],
    ),
    (
        "named source types",
        {
            "sources": {"bbc": {"title": 1, "publisher": [], "url": 2, "published": 3}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            "f.json:4:13: error: `title`: expected a string, found a number (at "
            "$.sources.bbc.title)",
            "f.json:5:17: error: `publisher`: expected a string, found a list (at "
            "$.sources.bbc.publisher)",
            "f.json:6:11: error: `url`: expected a string, found a number (at $.sources.bbc.url)",
            "f.json:7:17: error: `published`: expected a string, found a number (at "
            "$.sources.bbc.published)",
        ],
    ),
    (
        "named source unknown key",
        {
            "sources": {"bbc": {"title": "BBC", "lang": "en"}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [],
    ),
    (
        "unknown top key near",
        {"titel": "x", "events": [{"id": "a", "date": "2025-01-09", "title": "T"}]},
        ['f.json:2:2: warning: unknown key "titel": did you mean "title"? (at $.titel.<key>)'],
    ),
    (
        "unknown event key near",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "tag": ["pow"]}]},
        [
            'f.json:7:4: warning: event "a": unknown key "tag": did you mean "tags"? '
            "(at $.events[0].tag.<key>)"
        ],
    ),
    (
        "unknown event key uppercase",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "Extra": 1}]},
        [],
    ),
    (
        "event not an object",
        {"events": [3, {"id": "a", "date": "2025-01-09", "title": "T"}]},
        ["f.json:3:3: error: expected an event object, found a number (at $.events[0])"],
    ),
    (
        "place key near",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "place": {"nmae": "Kursk", "name": "K"},
                }
            ]
        },
        [
            'f.json:8:5: warning: event "a": unknown key "nmae": did you mean "name"? '
            "(at $.events[0].place.nmae.<key>)"
        ],
    ),
    (
        "relation key near",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "related": [{"id": "b", "rell": "x"}],
                },
                {"id": "b", "date": "2025-01-09", "title": "T"},
            ]
        },
        [
            'f.json:10:6: warning: event "a": unknown key "rell": did you mean "rel"? '
            "(at $.events[0].related[0].rell.<key>)"
        ],
    ),
    (
        "source ref key near",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"title": "t", "qoute": "q"}],
                }
            ]
        },
        [
            'f.json:10:6: warning: event "a": unknown key "qoute": did you mean '
            '"quote"? (at $.events[0].sources[0].qoute.<key>)'
        ],
    ),
    (
        "named source key near",
        {
            "sources": {"bbc": {"titel": "BBC"}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            'f.json:4:4: warning: unknown key "titel": did you mean "title"? (at '
            "$.sources.bbc.titel.<key>)"
        ],
    ),
    (
        "event key near uppercase",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "Tags": ["x"]}]},
        [
            'f.json:7:4: warning: event "a": unknown key "Tags": did you mean "tags"? '
            "(at $.events[0].Tags.<key>)"
        ],
    ),
    (
        "event key near with a space",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "tags ": ["x"]}]},
        [
            'f.json:7:4: warning: event "a": unknown key "tags ": did you mean '
            '"tags"? (at $.events[0]["tags "].<key>)'
        ],
    ),
    (
        "duplicate ids",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T"},
                {"id": "a", "date": "2025-01-09", "title": "again"},
                {"id": "b", "date": "2025-01-09", "title": "T"},
                {"id": "a", "date": "2025-01-09", "title": "T"},
            ]
        },
        [
            'f.json:9:10: error: event "a": duplicate id, first used at $.events[0] '
            "(at $.events[1].id)",
            'f.json:19:10: error: event "a": duplicate id, first used at $.events[0] '
            "(at $.events[3].id)",
        ],
    ),
]


MORE = [
    (
        "bare array with a bad event",
        [
            {"id": "a", "date": "2025-01-09", "title": "T"},
            {"id": "b", "date": "2025-13", "title": "T"},
        ],
        [
            'f.json:9:17: error: event "b": `date` "2025-13": month 13 is out of '
            "range (01-12) (at $.events[1].date)"
        ],
    ),
    (
        "document a number",
        3,
        ["f.json:1:1: error: expected an object with an `events` list, found a number"],
    ),
    (
        "events missing",
        {"title": "x"},
        ["f.json:1:1: error: missing `events`: expected a list of events"],
    ),
    (
        "events not a list",
        {"events": 3},
        ["f.json:2:12: error: expected a list of events, found a number (at $.events)"],
    ),
    (
        "description a list",
        {"description": ["x"], "events": [{"id": "a", "date": "2025-01-09", "title": "T"}]},
        ["f.json:2:17: error: `description`: expected a string, found a list (at $.description)"],
    ),
    (
        "long id in the context",
        {
            "events": [
                {
                    "id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                    "date": "2025-01-09",
                    "title": "T",
                    "tags": [3],
                }
            ]
        },
        [
            'f.json:8:5: error: event "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": '
            "`tags`: expected a string, found a number (at $.events[0].tags[0])"
        ],
    ),
    (
        "long bad date",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09 is the day of the capture, reported later",
                    "title": "T",
                }
            ]
        },
        [
            'f.json:5:23: error: event "a": `date` "2025-01-09 is the day of the '
            "capture, re\": unexpected ' is the day …' after the date (at "
            "$.events[0].date)"
        ],
    ),
    (
        "long bad status",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "status": "ssssssssssssssssssssssssssssssssssssssssssssssssss",
                }
            ]
        },
        [
            'f.json:7:14: error: event "a": `status` '
            '"ssssssssssssssssssssssssssssssssssssssss" is not one of confirmed, '
            "reported, claimed, disputed, denied, context (at $.events[0].status)"
        ],
    ),
    (
        "status near, long id",
        {
            "events": [
                {
                    "id": "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                    "date": "2025-01-09",
                    "title": "T",
                    "status": "denid",
                }
            ]
        },
        [
            'f.json:7:14: error: event "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy": '
            '`status` "denid" is not one of confirmed, reported, claimed, disputed, '
            'denied, context; did you mean "denied"? (at $.events[0].status)'
        ],
    ),
    (
        "reported before the date",
        {
            "events": [
                {
                    "id": "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
                    "date": "2025-01-09",
                    "title": "T",
                    "reported": "2025-01-08",
                }
            ]
        },
        [
            'f.json:7:16: warning: event "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz": '
            "`reported` (8 Jan 2025) is before the event's `date` (9 Jan 2025); was "
            "it announced in advance, or are the two swapped? (at "
            "$.events[0].reported)"
        ],
    ),
    (
        "reported at the same second",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09T10:00:00Z",
                    "title": "T",
                    "reported": "2025-01-09T10:00:00Z",
                }
            ]
        },
        [],
    ),
    (
        "related to no event, long ids",
        {
            "events": [
                {
                    "id": "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww",
                    "date": "2025-01-09",
                    "title": "T",
                    "related": [
                        {"id": "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv", "rel": "causes"}
                    ],
                }
            ]
        },
        [
            'f.json:9:12: warning: event "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww": '
            'related id "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" is not an event in '
            "this file (at $.events[0].related[0].id)"
        ],
    ),
    (
        "related to itself",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "related": [{"id": "a", "rel": "causes"}],
                }
            ]
        },
        [
            'f.json:9:12: warning: event "a": related id "a" is the event itself (at '
            "$.events[0].related[0].id)"
        ],
    ),
    (
        "relations after a bad one still read",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "related": ["b", {"id": "gone", "rel": "causes"}],
                }
            ]
        },
        [
            'f.json:8:5: error: event "a": a relation: expected an object with `id` '
            "and `rel`, found a string (at $.events[0].related[0])",
            'f.json:10:12: warning: event "a": related id "gone" is not an event in '
            "this file (at $.events[0].related[1].id)",
        ],
    ),
    (
        "sources after a bad one still read",
        {
            "events": [
                {"id": "a", "date": "2025-01-09", "title": "T", "sources": [3, {"ref": "nowhere"}]}
            ]
        },
        [
            'f.json:8:5: error: event "a": a source: expected an object, found a '
            "number (at $.events[0].sources[0])",
            'f.json:10:13: warning: event "a": source "nowhere" is not among the '
            "file's `sources` (at $.events[0].sources[1].ref)",
        ],
    ),
    (
        "source not named, long id",
        {
            "events": [
                {
                    "id": "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"ref": "nowhere"}],
                }
            ]
        },
        [
            'f.json:9:13: warning: event "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu": '
            'source "nowhere" is not among the file\'s `sources` (at '
            "$.events[0].sources[0].ref)"
        ],
    ),
    (
        "repeated key in a place",
        '{"events": [{"id": "a", "date": "2025", "title": "T", "place": {"name": '
        '"K", "name": "L"}}]}',
        [
            "f.json:1:78: warning: `name` is given twice in this object; the last one "
            "is used (at $.events[0].place)"
        ],
    ),
    (
        "repeated long key",
        '{"events": [], "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": 1, '
        '"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": 2}',
        [
            "f.json:1:73: warning: `kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk` is "
            "given twice in this object; the last one is used"
        ],
    ),
]


PROVENANCE = [  # DESIGN.md §7
    (
        "reliability G",
        {
            "sources": {"w": {"title": "W", "reliability": "G"}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            (
                'f.json:5:19: error: `reliability` "G" is not one of A, B, C, D, E, F '
                "(Admiralty source reliability: A completely reliable … E unreliable, F cannot "
                "be judged) (at $.sources.w.reliability)"
            ),
        ],
    ),
    (
        "reliability lower case",
        {
            "sources": {"w": {"title": "W", "reliability": "b"}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            (
                'f.json:5:19: error: `reliability` "b" is not one of A, B, C, D, E, F '
                "(Admiralty source reliability: A completely reliable … E unreliable, F cannot "
                'be judged); did you mean "B"? (at $.sources.w.reliability)'
            ),
        ],
    ),
    (
        "sha256 short",
        {
            "sources": {"w": {"title": "W", "sha256": "abc"}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            (
                'f.json:5:14: error: `sha256` "abc": expected 64 hexadecimal digits, in lower '
                "case (at $.sources.w.sha256)"
            ),
        ],
    ),
    (
        "captured bad",
        {
            "sources": {"w": {"title": "W", "captured": "2025-13"}},
            "events": [{"id": "a", "date": "2025-01-09", "title": "T"}],
        },
        [
            (
                "f.json:5:16: error: `captured`: month 13 is out of range (01-12) at column 6 "
                "(at $.sources.w.captured)"
            ),
        ],
    ),
    (
        "credibility a string",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"title": "x", "credibility": "2"}],
                }
            ]
        },
        [
            (
                'f.json:10:21: error: event "a": `credibility`: expected a number from 1 '
                "(confirmed by other sources) to 6 (cannot be judged), found a string; write 2 "
                "without quotes (at $.events[0].sources[0].credibility)"
            ),
        ],
    ),
    (
        "credibility 7",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"title": "x", "credibility": 7}],
                }
            ]
        },
        [
            (
                'f.json:10:21: error: event "a": `credibility`: expected a number from 1 '
                "(confirmed by other sources) to 6 (cannot be judged), found 7 (at "
                "$.events[0].sources[0].credibility)"
            ),
        ],
    ),
    (
        "credibility a boolean",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "sources": [{"title": "x", "credibility": True}],
                }
            ]
        },
        [
            (
                'f.json:10:21: error: event "a": `credibility`: expected a number from 1 '
                "(confirmed by other sources) to 6 (cannot be judged), found a boolean (at "
                "$.events[0].sources[0].credibility)"
            ),
        ],
    ),
    (
        "history not a list",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "history": "confirmed"}]},
        [
            (
                'f.json:7:15: error: event "a": `history`: expected a list, found a string (at '
                "$.events[0].history)"
            ),
        ],
    ),
    (
        "history entry without a date",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "history": [{"status": "confirmed"}],
                }
            ]
        },
        [
            (
                'f.json:8:5: error: event "a": missing `date`: expected a date like 2025-01-09 '
                "(at $.events[0].history[0])"
            ),
        ],
    ),
    (
        "history entry with a bad status",
        {
            "events": [
                {
                    "id": "a",
                    "date": "2025-01-09",
                    "title": "T",
                    "history": [{"date": "2025-01-12", "status": "verified"}],
                }
            ]
        },
        [
            (
                'f.json:10:16: error: event "a": `status` "verified" is not one of confirmed, '
                "reported, claimed, disputed, denied, context (at "
                "$.events[0].history[0].status)"
            ),
        ],
    ),
    (
        "history entry a string",
        {"events": [{"id": "a", "date": "2025-01-09", "title": "T", "history": ["x"]}]},
        [
            (
                'f.json:8:5: error: event "a": a status change: expected an object with `date` '
                "and `status`, found a string (at $.events[0].history[0])"
            ),
        ],
    ),
]


def said(document: Any) -> list[str]:
    """The problems loading `document` reports (written as JSON, or the text given)."""
    text = document if isinstance(document, str) else json.dumps(document, indent=1)
    data = text.encode()
    try:
        loaded = load_bytes(data, "f.json", options=LoadOptions(thorough=True))
    except LoadError as exc:
        return [p.format("f.json") for p in exc.problems]
    return [p.format("f.json") for p in loaded.warnings]


@pytest.mark.parametrize(
    ("document", "expected"),
    [c[1:] for c in CASES + MORE + PROVENANCE],
    ids=[c[0] for c in CASES + MORE + PROVENANCE],
)
def test_each_problem_is_said_exactly_and_where_it_is(document: Any, expected: list[str]) -> None:
    assert said(document) == expected
    # A clean file takes the fast path; with a key we don't know (last, so no line
    # moves) the checking one takes it: both say the same.
    if isinstance(document, dict):
        assert said({**document, "zz_checked_path": True}) == expected


def test_a_place_given_as_blank_text_is_no_place() -> None:
    data = json.dumps({"events": [{"id": "a", "date": "2025", "title": "T", "place": "  "}]})
    (event,) = load_bytes(data.encode(), "f.json").timeline
    assert event.place is None
    named = data.replace('"  "', '"Kursk"')
    (event,) = load_bytes(named.encode(), "f.json").timeline
    assert event.place is not None and event.place.name == "Kursk"


def test_keys_given_twice_are_found_in_a_mapped_file_too(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'{"events": [], "sources": {"a b": {"title": "x", "title": "y"}}}')
    with (
        path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
    ):
        assert has_repeated_keys(mapped)
        (problem,) = repeated_keys(mapped)
    assert problem.format("f.json") == (
        "f.json:1:50: warning: `title` is given twice in this object; the last one is used"
        ' (at $.sources["a b"])'
    )
    assert not has_repeated_keys(b"not json, and so nothing repeated")


def test_keys_the_format_does_not_know_are_kept_with_the_file() -> None:
    data = json.dumps({"events": [], "x_desk": "Seoul", "x_case": {"no": 7}}).encode()
    assert load_bytes(data, "f.json").timeline.extra == {"x_desk": "Seoul", "x_case": {"no": 7}}


def test_a_key_only_somewhat_like_a_known_one_is_kept_without_a_guess() -> None:
    document = {"events": [{"id": "a", "date": "2025", "title": "T", "tagsxyz": 1}]}
    assert said(document) == []
    (event,) = load_bytes(json.dumps(document).encode(), "f.json").timeline
    assert event.extra == {"tagsxyz": 1}


@pytest.mark.parametrize("checked", [False, True], ids=["fast path", "checking path"])
def test_a_named_source_keeps_the_keys_we_do_not_know(checked: bool) -> None:
    document: dict[str, Any] = {
        "sources": {"bbc": {"title": "BBC", "lang": "en"}},
        "events": [{"id": "a", "date": "2025", "title": "T", "sources": [{"ref": "bbc"}]}],
    }
    if checked:
        document["zz_checked_path"] = True
    timeline = load_bytes(json.dumps(document).encode(), "f.json").timeline
    assert timeline.sources["bbc"].extra == {"lang": "en"}


def test_a_status_that_is_not_text_gets_no_guess() -> None:
    document = {
        "events": [{"id": "a", "date": "2025-01-09", "title": "T", "status": ["confirmed"]}]
    }
    assert said(document) == [
        'f.json:7:14: error: event "a": `status` "[\'confirmed\']" is not one of confirmed,'
        " reported, claimed, disputed, denied, context (at $.events[0].status)"
    ]


def test_skip_bad_keeps_the_readable_events_and_counts_the_others() -> None:
    events = [
        {"id": "a", "date": "2025", "title": "A"},
        {"id": "b", "date": "2025-13", "title": "B"},
        {"id": "c", "date": "2025", "title": "C", "tags": [3]},
        {"id": "d", "date": "2025", "title": "D"},
    ]
    data = json.dumps({"events": events, "zz_checked_path": 1}).encode()
    loaded = load_bytes(data, "f.json", options=LoadOptions(skip_bad=True))
    assert [e.id for e in loaded.timeline] == ["a", "d"] and loaded.skipped == 2
