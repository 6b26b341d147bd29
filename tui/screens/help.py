"""Every key, and what the status marks mean."""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..model.events import STATUS_LABELS, STATUS_MARKS, STATUS_MEANINGS
from ..output.render import STATUS_STYLES

KEYS = [
    ("↑ ↓  j k", "move"),
    ("PgUp PgDn", "page"),
    ("Home End  g G", "first / last event"),
    ("/", "filter (Enter or Esc returns to the list)"),
    ("Esc", "leave the context, end the replay, clear the filter, or go back"),
    ("Enter", "open the event; in it, follow a related event"),
    ("t", "go to a date (2025-01-09, jan 9, oct-2024 …)"),
    ("[ ]", "previous / next month"),
    ("{ }", "previous / next year"),
    ("f", "facets: counts per file, status, kind, tag, actor, place, claimant, label"),
    ("z  Z", "zoom the density strip in around the event / out"),
    ("v", "choose a span on the strip (← → then Enter; or drag): after: and before:"),
    ("D", "possible duplicates among the shown events; s marks a pair the same"),
    ("c  + -", "context: events within 7 days, whatever the filter (+ / - resize)"),
    ("a  A", "replay: step forward / back through the days things became known"),
    ("*  m  '", "star the event (or unstar it) / go to the next star"),
    ("n", "write or edit your note on the event (ctrl+s saves, Esc closes)"),
    ("l", "label the event (a label it has already is removed)"),
    ("s", "save the filter as a view: @name in any filter, and in the palette"),
    ("x", "export the shown events: .md .txt .csv .json .ics"),
    ("e", "edit the event in its file with $EDITOR (the list reloads)"),
    ("N", "add a new event to the file and edit it"),
    ("y", "send the event as text to the terminal's clipboard"),
    ("o", "open the event's source link"),
    ("w", "the file's warnings (of several: ids they share), with line and column"),
    ("ctrl+p", "command palette: search events, change theme"),
    ("?", "this help"),
    ("q", "quit"),
]

FILTERS = [
    ("kursk soldiers", "every word (case- and accent-insensitive)"),
    ('"prisoner exchange"', "the exact phrase"),
    ("tag:pow actor:x place:x", "a field: status kind by source id title too"),
    ("file:wire.csv", "the events of one file (several open at once)"),
    ("tag:=pow  tag:pow,capture", "exact value / either value"),
    ("-tag:context  NOT x  a OR b", "negation, either, ( ) to group"),
    ("after: before: on: in:", 'dates: 2025-01-10, "jan 10", oct-2024'),
    ("2025-01-09..2025-01-12", "a date range"),
    ("asof:2025-01-11", "only what was public by then"),
    ("note:word  label:verify", "your notes and labels"),
    ("is:starred is:noted is:new", "starred, noted, new since the file was last open"),
    ("@name", "a saved view (s saves one)"),
    ("corroboration:>=2", "two or more independent sources"),
    ("reliability:<=B  credibility:<=2", "the best source's grade (A-F), citation's (1-6)"),
    ("↑ ↓ in the filter bar", "earlier filters on this file"),
]
SERVER_ONLY = ("e", "N")
"""Keys that start a program on the machine the app runs on: not in a served app."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, *, served: bool = False) -> None:
        """`served`: in a browser; only the keys that work there are listed."""
        super().__init__()
        self.served = served

    def compose(self) -> ComposeResult:
        parts: list[Content | str | tuple[str, str]] = [("Keys", "bold underline"), "\n"]
        for key, what in KEYS:
            if self.served and key in SERVER_ONLY:
                continue
            if self.served and key == "x":
                what = "download the shown events: .md .txt .csv .json .ics"
            parts += [(f"{key:>15}  ", "bold $accent"), what, "\n"]
        parts += ["\n", ("Status marks", "bold underline"), "\n"]
        for status in STATUS_LABELS:
            parts += [
                (f"{STATUS_MARKS[status]:>15}  ", STATUS_STYLES[status]),
                (f"{STATUS_LABELS[status]}: ", STATUS_STYLES[status]),
                STATUS_MEANINGS[status],
                "\n",
            ]
        parts += ["\n", ("Filter", "bold underline"), "\n"]
        for syntax, what in FILTERS:
            parts += [(f"{syntax:>28}  ", "bold"), what, "\n"]
        parts += [
            "\n",
            ("✓²", "bold"),
            "  a small number after the status mark: how many independent sources (two or more)",
            "\n",
            ("new", "bold $success"),
            "  in a replay: became known on that day",
            "\n",
            ("1 2", "bold $accent"),
            "  with several files open: the event's file (the title bar names each)",
            "\n",
        ]
        if os.environ.get("TMUX"):
            parts += ["\n", ("In tmux, y needs: set -g set-clipboard on", "$warning"), "\n"]
        parts += ["\n", ("Esc or ? closes this.", "$text-muted")]
        with VerticalScroll(id="help-box"):
            yield Static(Content.assemble(*parts))

    def on_click(self) -> None:
        self.dismiss(None)
