"""Payloads that try to take over a terminal or a markup parser, for the tests."""

from __future__ import annotations

import json
from pathlib import Path

PAYLOADS = {
    "csi-clear-screen": "\x1b[2J\x1b[H",
    "csi-cursor-moves": "\x1b[10;10H\x1b[5A\x1b[2K",
    "osc-window-title": "\x1b]0;pwned-title\x07\x1b]2;pwned-title\x1b\\",
    "osc-52-clipboard": "\x1b]52;c;cHduZWQtY2xpcGJvYXJk\x07",
    "osc-8-hyperlink": "\x1b]8;;https://evil.invalid\x07click me\x1b]8;;\x07",
    "c1-controls": "\x9b2J\x9d0;pwned-title\x9c\x85",
    "markup-bold": "[bold]B[/bold] [red]R[/]",
    "markup-link": "[link=https://evil.invalid]L[/link]",
    "markup-action": "[@click=app.quit]quit[/] [@click=app.bell]bell[/]",
    "bidi-override": "invoice\u202efdp.exe",
    "zero-width": "pass\u200bword\u2060\ufeff",
    "long-word": "x" * 10_000,
    "combining-and-wide": "e\u0301 n\u0303 한국어 😀 Жж",
}

# What must never reach a terminal from data.
FORBIDDEN = [
    "\x1b]",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[10;10H",
    "\x1b[5A",
    "\x07",
    "\u202e",
    "\x9b",
    "\x9d",
    "\x85",
]


def hostile_file(path: Path, payload: str) -> Path:
    event = {
        "id": "evil",
        "date": "2025-01-09",
        "title": f"Title {payload} end",
        "summary": f"Summary {payload} end",
        "tags": [f"tag{payload}"],
        "actors": [f"actor{payload}"],
        "claimed_by": [f"by{payload}"],
        "place": {"name": f"place{payload}"},
        "notes": f"Notes {payload}",
        "sources": [{"quote": f"quote{payload}", "url": "https://example.org/source"}],
        "witness": f"extra{payload}",
    }
    other = {"id": "plain", "date": "2025-01-10", "title": "A plain event after it"}
    path.write_text(
        json.dumps({"title": f"File {payload}", "events": [event, other]}), encoding="utf-8"
    )
    return path
