"""Our own CSV columns read back, cell by cell (`from_plain`): lists, sources as text or
a link, relations as ids, JSON cells and their errors with line and column, the file's
own rows (`record`), what a header must have; and which headers are a CSV at all."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.formats import detect
from tui.formats.table import from_plain, write_csv
from tui.model.dates import parse_when
from tui.model.events import Event, SourceRef, Timeline
from tui.model.loading import load_bytes
from tui.model.problems import LoadError, Severity

CSV_CASES = [
    (
        "every column",
        "id,date,title,summary,kind,tags,actors,claimed_by,place,lat,lon,sources,related,notes,reported,status,extra\n"
        "cap,2025-01-09,Capture,Two soldiers,capture,pow; "
        'kursk,Ukraine|DPRK,SBU,Kursk,51.7,35.2,"[{""ref"": ""bbc""}]","[{""id"": '
        '""x"", ""rel"": ""causes""}]",n,2025-01-11,confirmed,"{""x_desk"": '
        '""Seoul"", ""title"": ""not this""}"\n',
        {
            "events": [
                {
                    "id": "cap",
                    "date": "2025-01-09",
                    "title": "Capture",
                    "summary": "Two soldiers",
                    "kind": "capture",
                    "tags": ["pow", "kursk"],
                    "actors": ["Ukraine", "DPRK"],
                    "claimed_by": ["SBU"],
                    "sources": [{"ref": "bbc"}],
                    "related": [{"id": "x", "rel": "causes"}],
                    "notes": "n",
                    "reported": "2025-01-11",
                    "status": "confirmed",
                    "x_desk": "Seoul",
                    "place": {"name": "Kursk", "lat": 51.7, "lon": 35.2},
                }
            ]
        },
        [],
        [(2, (2, "date"), (3, "title"))],
    ),
    (
        "headline for a title",
        "date,headline\n2025,Capture\n",
        {"events": [{"id": "2025-capture", "date": "2025", "title": "Capture"}]},
        [],
        [(2, (1, "date"), None)],
    ),
    (
        "title and headline",
        "date,title,headline\n2025,T,H\n",
        {"events": [{"id": "2025-t", "date": "2025", "title": "T", "headline": "H"}]},
        [],
        [(2, (1, "date"), (2, "title"))],
    ),
    (
        "no id, blank cells",
        "id,date,title,tags,notes\n,2025,T,, \n",
        {"events": [{"id": "2025-t", "date": "2025", "title": "T"}]},
        [],
        [(2, (2, "date"), (3, "title"))],
    ),
    (
        "sources as text or a link; related as ids",
        "date,title,sources,related\n2025,A,BBC News,a; b\n2025,B,https://bbc.com/x,c|d\n",
        {
            "events": [
                {
                    "id": "2025-a",
                    "date": "2025",
                    "title": "A",
                    "sources": [{"title": "BBC News"}],
                    "related": [{"id": "a"}, {"id": "b"}],
                },
                {
                    "id": "2025-b",
                    "date": "2025",
                    "title": "B",
                    "sources": [{"url": "https://bbc.com/x"}],
                    "related": [{"id": "c"}, {"id": "d"}],
                },
            ]
        },
        [],
        [(2, (1, "date"), (2, "title")), (3, (1, "date"), (2, "title"))],
    ),
    (
        "a bad JSON list",
        "date,title,sources,related\n2025,A,[oops,[1\n",
        {
            "events": [
                {"id": "2025-a", "date": "2025", "title": "A", "sources": None, "related": None}
            ]
        },
        [
            (2, 3, "`sources`: not a JSON list (Expecting value)"),
            (2, 4, "`related`: not a JSON list (Expecting ',' delimiter)"),
        ],
        [(2, (1, "date"), (2, "title"))],
    ),
    (
        "extra not an object",
        "date,title,extra\n2025,A,[1]\n2025,B,{bad\n",
        {
            "events": [
                {"id": "2025-a", "date": "2025", "title": "A"},
                {"id": "2025-b", "date": "2025", "title": "B"},
            ]
        },
        [
            (2, 3, "`extra`: not a JSON object (found list)"),
            (
                3,
                3,
                "`extra`: not a JSON object (Expecting property name enclosed in double quotes)",
            ),
        ],
        [(2, (1, "date"), (2, "title")), (3, (1, "date"), (2, "title"))],
    ),
    (
        "place without coordinates",
        "date,title,place\n2025,A,Kursk\n",
        {"events": [{"id": "2025-a", "date": "2025", "title": "A", "place": {"name": "Kursk"}}]},
        [],
        [(2, (1, "date"), (2, "title"))],
    ),
    (
        "columns missing",
        "when,what\n2025,A\n",
        {"events": []},
        [
            (
                1,
                1,
                "a CSV needs columns named `date` and `title` (found: when, what); for "
                "TimelineJS or ACLED files, see --from",
            )
        ],
        [],
    ),
    (
        "nothing at all",
        "",
        {"events": []},
        [
            (
                1,
                1,
                "a CSV needs columns named `date` and `title` (found: nothing); for "
                "TimelineJS or ACLED files, see --from",
            )
        ],
        [],
    ),
    (
        "the file's own rows",
        "record,id,date,title,summary,publisher,url,extra\n"
        'title,,,The story,What it is,,,"{""x_case"": 7}"\n'
        "source,bbc,2025-01-10,BBC,,BBC News,https://bbc.com,\n"
        "source,nis,,NIS,,,,[2]\n"
        ",e1,2025,T,,,,\n",
        {
            "x_case": 7,
            "title": "The story",
            "description": "What it is",
            "sources": {
                "bbc": {
                    "title": "BBC",
                    "published": "2025-01-10",
                    "publisher": "BBC News",
                    "url": "https://bbc.com",
                },
                "nis": {"title": "NIS", "published": None, "publisher": None, "url": None},
            },
            "events": [{"id": "e1", "date": "2025", "title": "T"}],
        },
        [(4, 8, "`extra`: not a JSON object (found list)")],
        [(5, (3, "date"), (4, "title"))],
    ),
]


@pytest.mark.parametrize(
    ("text", "document", "problems", "origins"),
    [c[1:] for c in CSV_CASES],
    ids=[c[0] for c in CSV_CASES],
)
def test_each_cell_is_read_as_the_column_says(
    text: str, document: dict[str, Any], problems: list[Any], origins: list[Any]
) -> None:
    imported = from_plain(text)
    assert imported.document == document
    assert [(p.line, p.column, p.message) for p in imported.problems] == problems
    assert [
        (o.line, o.columns.get("date"), o.columns.get("title")) for o in imported.origins
    ] == origins
    assert imported.format == "csv"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"date,title\n2025,A\n", "csv"),
        (b"when,what\n", "csv"),  # a table we don't know: the CSV reader says what it needs
        (b"date\n2025\n", "timeline"),  # one column is no table: the JSON reader says why
        (b"Year,Month,Day,Headline\n", "timelinejs-csv"),
        (b"event_id_cnty,event_date,notes\n", "acled"),
        (b"BEGIN:VCALENDAR\r\n", "ics"),
        (b"\xef\xbb\xbf  [", "timeline"),
    ],
)
def test_the_format_is_told_from_the_first_bytes(head: bytes, fmt: str) -> None:
    assert detect(head) == fmt


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,what\n2025,A\n", "found: date, what"),
        ("when,title\n2025,A\n", "found: when, title"),
        ("a,b,c,d,e,f,g,h,i,j\n", "found: a, b, c, d, e, f, g, h)"),
    ],
)
def test_a_header_needs_both_date_and_title(text: str, message: str) -> None:
    (problem,) = from_plain(text).problems
    assert message in problem.message and problem.severity == Severity.ERROR


def test_columns_after_extra_are_read_and_a_record_column_is_not_copied() -> None:
    imported = from_plain('date,extra,title,record\n2025,"{""x"": 1}",A,other\n')
    assert imported.document["events"] == [{"id": "2025-a", "date": "2025", "x": 1, "title": "A"}]


def test_a_csv_with_a_bad_cell_is_refused_with_the_cell() -> None:
    with pytest.raises(LoadError) as caught:
        load_bytes(b"date,title,extra,sources\n2025,A,[1],[oops\n", "f.csv")
    assert [p.format("f.csv") for p in caught.value.problems] == [
        "f.csv:2:3: error: `extra`: not a JSON object (found list)",
        "f.csv:2:4: error: `sources`: not a JSON list (Expecting value)",
    ]
    with pytest.raises(LoadError):
        load_bytes(b"when,what\n2025,A\n", "f.csv")


def test_a_value_holding_a_separator_or_a_quote_is_written_so_it_reads_back() -> None:
    event = Event("a", parse_when("2025"), 'say "hi"', tags=("a|b", "c"))
    out = io.StringIO()
    write_csv(Timeline([event]), [0], out)
    row = out.getvalue().splitlines()[1]
    assert row == 'a,2025,,,"say ""hi""",,,"[""a|b"",""c""]",,,,,,,,,,,,,,,,,'
    (back,) = load_bytes(out.getvalue().encode(), "f.csv").timeline
    assert back.title == 'say "hi"' and back.tags == ("a|b", "c")


def test_plain_lists_are_written_as_a_person_types_them_and_a_lone_quote_is_quoted() -> None:
    event = Event("a", parse_when("2025"), 'say "hi"', tags=("pow", "kursk"))
    out = io.StringIO()
    write_csv(Timeline([event]), [0], out)
    assert out.getvalue().splitlines()[1] == 'a,2025,,,"say ""hi""",,,pow; kursk,,,,,,,,,,,,,,,,,'


def test_a_row_without_an_id_keeps_its_id_when_rows_are_added_around_it() -> None:
    before = "date,title\n2025-01-09,Capture in Kursk\n2025-01-12,NIS confirms\n"
    after = "date,title\n2024-12-01,Earlier\n2025-01-09,Capture in Kursk\n2025-01-12,NIS confirms\n"
    ids_before = [e["id"] for e in from_plain(before).document["events"]]
    ids_after = [e["id"] for e in from_plain(after).document["events"]]
    assert ids_before == ["2025-01-09-capture-in-kursk", "2025-01-12-nis-confirms"]
    assert ids_after == ["2024-12-01-earlier", *ids_before]


def test_rows_that_say_the_same_get_a_suffix_and_a_given_id_is_never_taken() -> None:
    text = "id,date,title\n2025-01-09-a,2025-01-09,A\n,2025-01-09,A\n,2025-01-09,A\n"
    ids = [e["id"] for e in from_plain(text).document["events"]]
    assert ids == ["2025-01-09-a", "2025-01-09-a-2", "2025-01-09-a-3"]


def test_a_row_missing_its_date_or_title_gets_an_id_from_what_it_has() -> None:
    text = "date,title,notes\n2025-01-09,,a\n,Capture,b\n,,c\n"
    ids = [e["id"] for e in from_plain(text).document["events"]]
    assert ids == ["2025-01-09", "capture", "row-4"]


def test_a_cell_longer_than_the_csv_modules_own_limit_reads() -> None:
    """An article's whole text in `notes` (the csv module stops at 128 KB by default)."""
    article = "word " * 60_000
    text = f'id,date,title,notes\na,2025-01-09,A,"{article}"\nb,2025-01-10,B,short\n'
    loaded = load_bytes(text.encode(), "long.csv")
    assert loaded.timeline.get("a").notes == article.strip()
    assert loaded.timeline.get("b").notes == "short"


@pytest.mark.parametrize(
    ("values", "cell"),
    [
        ((), ""),
        (("pow",), "pow"),
        (("pow", "capture", ""), "pow; capture; "),
        (("a;b",), '["a;b"]'),
        (("a", "b; c"), '["a","b; c"]'),
        (("c|d",), '["c|d"]'),
        (("[not json",), '["[not json"]'),
        (("a", "[b"), '["a","[b"]'),
        (("a[b", "c]"), "a[b; c]"),
    ],
)
def test_a_list_cell_is_joined_unless_a_value_would_split_or_read_as_json(
    values: tuple[str, ...], cell: str
) -> None:
    from tui.formats.table import _joined_cell

    assert _joined_cell(values) == cell


@given(st.lists(st.text(alphabet="; |[a]", max_size=5), max_size=4))
def test_a_list_cell_is_json_exactly_when_a_value_would_split_or_read_as_json(
    values: list[str],
) -> None:
    """_joined_cell tells it from the joined text; each value tells it as well."""
    from tui.formats.table import _joined_cell

    splits = any(";" in v or "|" in v or v.startswith("[") for v in values)
    assert _joined_cell(values) == (
        json.dumps(values, separators=(",", ":")) if splits else "; ".join(values)
    )


@pytest.mark.parametrize(
    "sources",
    [
        (SourceRef(ref="wire"),),
        (SourceRef(quote="“Kursk”", title="BBC", url="https://bbc.co.uk/x", credibility=2),),
        (SourceRef(ref="wire", quote="a\u202eb"), SourceRef(title="Inline")),
        (SourceRef(ref="wire", extra={"page": 4, "ref": "not ours"}), SourceRef(title="T")),
    ],
)
def test_a_sources_cell_is_the_citations_as_source_documents_writes_them(
    sources: tuple[SourceRef, ...],
) -> None:
    from tui.formats.table import _sources_cell
    from tui.formats.timeline import json_text, source_documents

    event = Event("a", parse_when("2025"), "t", sources=sources)
    assert _sources_cell(event) == json_text(source_documents(event))


def test_json_in_a_cell_escapes_what_a_terminal_acts_on_and_keeps_other_text() -> None:
    from tui.formats.timeline import inert

    assert inert('["Łódź","서울"]') == '["Łódź","서울"]'
    assert inert('["a\u202eb","\x85","\u2066"]') == '["a\\u202eb","\\u0085","\\u2066"]'
