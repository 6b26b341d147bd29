"""Making data text safe to show, and folding it for search."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# C0 and C1 controls, DEL; the bidirectional marks, embeddings, overrides and
# isolates, which can reorder what a reader sees; and the invisible characters
# that only hide text (zero-width space, word joiner, byte-order mark).
# Zero-width joiners stay: emoji sequences and several scripts need them.
# Newlines are handled apart.
_CONTROLS: Final = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_LINE_SEPARATORS: Final = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
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
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_SEPARATORS)
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
