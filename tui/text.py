"""Making data text safe to show, and folding it for search."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# C0 and C1 controls, DEL, and the bidirectional embedding/override/isolate
# controls, which can reorder what a reader sees. Newlines are handled apart.
_CONTROLS: Final = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)
_ESCAPE_SEQUENCE: Final = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
)
_WHITESPACE_RUN: Final = re.compile(r"\s+")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Remove control characters and terminal escape sequences from data text.

    A whole escape sequence (CSI, OSC with its payload) is removed, so no
    half of it is left to be misread; tabs become spaces. One-line fields
    have their newlines folded into spaces.
    """
    if value.isascii() and value.isprintable():
        return value
    value = _ESCAPE_SEQUENCE.sub("", value).replace("\t", " ")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value)
    if not multiline:
        value = _WHITESPACE_RUN.sub(" ", value).strip()
    return value


def fold(value: str) -> str:
    """Lower-case and strip accents, for case- and accent-insensitive matching."""
    if value.isascii():
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()
