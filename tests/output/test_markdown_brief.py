"""The Markdown brief, read back by a real CommonMark parser (markdown-it-py, with the
footnote plugin): headings, one list item per event, footnotes, nothing from the data
read as Markdown."""

from __future__ import annotations

import json
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from tests.conftest import BUNDLED
from tui.model.loading import load_bytes, load_path
from tui.model.query import parse_query
from tui.output.markdown import markdown_lines

PARSER = MarkdownIt("commonmark").use(footnote_plugin).enable("table").enable("strikethrough")


def brief(timeline: Any, query: str = "") -> str:
    positions = parse_query(query, timeline).filter(timeline)
    return "\n".join(markdown_lines(timeline, positions, query=query)) + "\n"


def items(tokens: list[Any]) -> list[list[Any]]:
    """The tokens of each top-level list item."""
    found: list[list[Any]] = []
    depth = 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                found.append([])
        if depth:
            found[-1].append(token)
        if token.type == "list_item_close":
            depth -= 1
    return found


def test_the_bundled_brief_has_its_headings_an_item_per_event_and_its_footnotes() -> None:
    story = load_path(str(BUNDLED)).timeline
    text = brief(story)
    tokens = PARSER.parse(text)
    headings = [
        (t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert headings[0] == ("h1", story.title)
    assert [h for h in headings if h[0] == "h2"] == [
        ("h2", "2022"), ("h2", "2024"), ("h2", "2025 January"),
    ]  # fmt: skip
    events = items(tokens)
    assert len(events) == len(story)
    for tokens_of_item, event in zip(events, story, strict=True):
        first = next(t for t in tokens_of_item if t.type == "inline")
        assert event.title in first.content  # the title stays in its own paragraph
        assert sum(t.type == "footnote_ref" for t in first.children) == len(event.sources)
        paragraphs = [t.content for t in tokens_of_item if t.type == "inline"]
        if event.summary:
            assert " ".join(event.summary.split()) in paragraphs  # a paragraph of its own
    citations = sum(len(event.sources) for event in story)
    assert sum(t.type == "footnote_open" for t in tokens) == citations
    assert "\\(" not in text  # nothing escaped that needs no escape
    assert "Filtered" not in text


def test_footnotes_give_title_publisher_date_quote_and_link() -> None:
    story = load_path(str(BUNDLED)).timeline
    text = brief(story, "id:treaty")
    (footnote,) = [line for line in text.splitlines() if line.startswith("[^1]:")]
    assert footnote.startswith("[^1]: Reuters: Russia, DPRK sign strategic partnership")
    assert ", UNN, 19 Jun 2024" in footnote and footnote.endswith("-military-support>")


def test_a_filtered_brief_says_which_filter_made_it() -> None:
    story = load_path(str(BUNDLED)).timeline
    text = brief(story, "tag:pow")
    assert "Filtered by `tag:pow`: 6 of 13 events." in text


def test_markdown_in_the_data_stays_text() -> None:
    hostile = {
        "title": "# Not a heading",
        "events": [
            {
                "id": "a",
                "date": "2025",
                "title": "[click](http://evil.example) <b>bold</b> *x* ~~y~~ | z &amp;",
                "summary": "- not a list\n1. nor this\n> nor a quote",
                "notes": "# nor a heading",
                "kind": "x",
                "sources": [{"title": "[t](u)", "quote": "**q**"}],
            }
        ],
    }
    story = load_bytes(json.dumps(hostile).encode(), "f").timeline
    tokens = PARSER.parse(brief(story))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {
        "link_open", "html_inline", "html_block", "s_open", "blockquote_open",
        "ordered_list_open", "table_open",
    }  # fmt: skip
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2"]
    assert sum(t.type == "list_item_open" for t in tokens) == 1
    rendered = PARSER.render(brief(story))
    numbered = {**hostile, "events": [{**hostile["events"][0], "summary": "1. first"}]}  # type: ignore[dict-item]
    shown = PARSER.render(brief(load_bytes(json.dumps(numbered).encode(), "f").timeline))
    assert "<p>1. first</p>" in shown and "\\" not in shown  # escaped, and no stray backslash
    assert (
        "[click](http://evil.example) &lt;b&gt;bold&lt;/b&gt; *x* ~~y~~ | z &amp;amp;" in rendered
    )


def test_the_brief_says_what_made_the_view_and_carries_notes_and_history() -> None:
    from tui.model.dates import DAY, days_from_civil
    from tui.model.sidecar import Annotation

    document = {
        "events": [
            {
                "id": "a",
                "date": "2025-01-09",
                "title": "Capture",
                "status": "confirmed",
                "history": [
                    {"date": "2025-01-11", "status": "reported"},
                    {"date": "2025-01-12", "status": "confirmed", "by": ["NIS"]},
                ],
            },
            {"id": "b", "date": "2025-01-10", "title": "Other"},
        ]
    }
    timeline = load_bytes(json.dumps(document).encode(), "f.json").timeline
    mine = {"a": Annotation("Ask *them*", True, ("verify",))}
    lines = list(
        markdown_lines(
            timeline,
            [0],
            False,
            "tag:x",
            view=["as known on 11 Jan 2025", "a *view*"],
            annotations=mine,
            history=True,
            as_of=(days_from_civil(2025, 1, 11) + 1) * DAY,
        )
    )
    assert lines == [
        "# Timeline",
        "",
        "Filtered by `tag:x`, as known on 11 Jan 2025, a \\*view\\*: 1 of 2 events.",
        "",
        "## 2025",
        "",
        "- **9 Jan 2025** · reported · Capture",
        "",
        "  history: 11 Jan 2025 reported → 12 Jan 2025 confirmed by NIS",
        "",
        "  *★ starred · labels: verify*",
        "",
        "  *your note: Ask \\*them\\**",
        "",
    ]
    only_view = list(markdown_lines(timeline, [1], view=["every event near “Other”"]))
    assert only_view[2] == "every event near “Other”: 1 of 2 events."
