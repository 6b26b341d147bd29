"""The exports' exact text, in process: JSON as a person reads it, CSV that any reader
splits into the same cells (quoted only where needed), Markdown made inert, the brief."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.formats import table
from tui.formats.table import write_csv
from tui.formats.timeline import write_json
from tui.formats.timelinejs import write_timelinejs
from tui.model.events import Timeline
from tui.model.loading import load_bytes
from tui.output.markdown import markdown_lines, md


def timeline(document: dict[str, object]) -> Timeline:
    return load_bytes(json.dumps(document).encode(), "f").timeline


SMALL = {
    "title": "Łódź",
    "events": [{"id": "a", "date": "2025-01-09", "title": "Protest in Łódź", "x-raw": "\u0085"}],
}


def test_json_is_indented_by_two_keeps_letters_and_escapes_what_a_terminal_acts_on() -> None:
    out = io.StringIO()
    write_json(timeline(SMALL), [0], out)
    assert out.getvalue() == (
        "{\n"
        '  "title": "Łódź",\n'
        '  "events": [\n'
        "    {\n"
        '      "id": "a",\n'
        '      "date": "2025-01-09",\n'
        '      "title": "Protest in Łódź",\n'
        '      "x-raw": "\\u0085"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_timelinejs_is_indented_by_two_and_keeps_letters() -> None:
    out = io.StringIO()
    write_timelinejs(timeline(SMALL), [0], out)
    text = out.getvalue()
    assert text.startswith('{\n  "events": [\n    {\n') and "Protest in Łódź" in text
    assert "\\u0141" not in text and text.endswith("}\n")


@pytest.mark.parametrize("title", ["line\nbreak", "carriage\rreturn", 'a "quote"', "a, comma"])
def test_a_csv_cell_that_needs_quotes_gets_them_and_reads_back(title: str) -> None:
    document = {"events": [{"id": "a", "date": "2025", "title": "x", "summary": title}]}
    out = io.StringIO()
    write_csv(timeline(document), [0], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["summary"] == title.replace("\r", "\n") or row["summary"] == title


def test_a_plain_csv_row_is_written_unquoted() -> None:
    document = {"events": [{"id": "a", "date": "2025", "title": "plain words"}]}
    out = io.StringIO()
    write_csv(timeline(document), [0], out)
    assert out.getvalue().splitlines()[1].startswith("a,2025,,,plain words,")


def test_csv_rows_are_written_in_chunks_with_nothing_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "CSV_CHUNK", 3)
    events = [{"id": f"e{i}", "date": "2025", "title": f"t{i}"} for i in range(7)]
    out = io.StringIO()
    write_csv(timeline({"events": events}), range(7), out)
    text = out.getvalue()
    assert text.endswith("\n") and "\n\n" not in text
    assert [row["id"] for row in csv.DictReader(io.StringIO(text))] == [f"e{i}" for i in range(7)]


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("- not a list", "\\- not a list"),
        ("  # not a heading", "  \\# not a heading"),
        ("1. nor this", "1\\. nor this"),
        ("> nor a quote", "\\> nor a quote"),
        (
            "a*b*c [x](y) <b> ~~z~~ a|b &amp;",
            "a\\*b\\*c \\[x\\](y) \\<b\\> \\~\\~z\\~\\~ a\\|b \\&amp;",
        ),
        ("plain (words) & more", "plain (words) & more"),
    ],
)
def test_md_escapes_only_what_markdown_would_act_on(text: str, inert: str) -> None:
    assert md(text) == inert


def test_the_whole_brief_of_a_small_timeline() -> None:
    document = {
        "description": "Two   lines\nof description.",
        "sources": {"w": {"title": "Wire", "publisher": "AP", "published": "2025-01-10"}},
        "events": [
            {"id": "a", "date": "2025-01-09", "title": "First", "claimed_by": ["Kyiv", "Seoul"],
             "reported": "2025-01-11", "place": {"name": "Kursk"}, "summary": "What  happened.",
             "notes": "A   note.", "sources": [{"ref": "w", "quote": "said"}]},
            {"id": "b", "date": "2025-02", "title": "Second", "status": "confirmed"},
        ],
    }  # fmt: skip
    story = timeline(document)
    assert list(markdown_lines(story, [0, 1], query="-tag:`x`")) == [
        "# Timeline",
        "",
        "Two lines of description.",
        "",
        "Filtered by `-tag:x`: 2 of 2 events.",
        "",
        "## 2025",
        "",
        "- **9 Jan 2025** · not stated · First[^1]",
        "",
        "  by Kyiv, Seoul · known 11 Jan 2025 · Kursk",
        "",
        "  What happened.",
        "",
        "  *Note:* A note.",
        "",
        "- **Feb 2025** · confirmed · Second",
        "",
        '[^1]: Wire, AP, 10 Jan 2025: "said"',
    ]
    assert list(markdown_lines(story, [1]))[:4] == [
        "# Timeline",
        "",
        "Two lines of description.",
        "",
    ]


def test_csv_rows_in_full_with_nothing_invented_in_empty_cells() -> None:
    document = {
        "title": "T",
        "events": [
            {"id": "a", "date": "2025", "title": "plain words"},
            {"id": "b", "date": "2025", "title": 'say "hi"', "tags": ["[x]", "y"]},
        ],
    }
    out = io.StringIO()
    write_csv(timeline(document), [0, 1], out)
    assert out.getvalue().splitlines() == [
        ",".join(table.CSV_COLUMNS),
        ",,,,T,,,,,,,,,,,,,title,,,,,,,",  # the file's record: no `{}` for no unknown keys
        "a,2025,,,plain words,,,,,,,,,,,,,,,,,,,,",  # no `[]` for no sources or relations
        'b,2025,,,"say ""hi""",,,"[""[x]"",""y""]",,,,,,,,,,,,,,,,,',  # quoted; a JSON list
    ]


def test_a_footnote_link_is_kept_in_one_piece() -> None:
    document = {
        "events": [
            {"id": "a", "date": "2025", "title": "x",
             "sources": [{"title": "S", "url": "https://example.org/a b>c"}]},
        ]
    }  # fmt: skip
    brief = list(markdown_lines(timeline(document), [0]))
    assert brief[-1] == "[^1]: S <https://example.org/a%20b%3Ec>"


def test_the_brief_without_a_query_says_no_filter_and_a_same_day_report_adds_nothing() -> None:
    document = {
        "events": [{"id": "a", "date": "2025-01-09", "title": "x", "reported": "2025-01-09"}]
    }
    assert list(markdown_lines(timeline(document), [0])) == [
        "# Timeline",
        "",
        "## 2025",
        "",
        "- **9 Jan 2025** · not stated · x",
        "",
    ]
