"""Other tools' formats, and our own: each module here that declares a `FORMAT` is one
(see base.Format), found when this package is imported. The CLI's `--from` and
`--format` choices, the loader's dispatch and every export read this one registry:
adding a format is adding one module.

An importer returns the document our loader checks anyway (so every problem is
reported the same way), with the origin of each event: the row and columns of a CSV,
the BEGIN line of a VEVENT, or the JSON path of a TimelineJS slide.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from .base import Format, FormatError, Imported, Origin, header_columns

if TYPE_CHECKING:
    from mmap import mmap

__all__ = [
    "Format", "FormatError", "Imported", "Origin", "byte_writers", "detect", "formats", "writers"
]  # fmt: skip


@cache
def formats() -> dict[str, Format]:
    """Every format by its `--from` name, the most particular first. Found (every module
    imported) on first use, not when the package is: a file in our own JSON, which
    `detect` tells without them, loads without ever importing another format's code,
    and `timeline print` starts that much sooner."""
    import pkgutil

    found = []
    for module in pkgutil.iter_modules(__path__):
        declared = getattr(importlib.import_module(f"{__name__}.{module.name}"), "FORMAT", None)
        if isinstance(declared, Format):
            found.append(declared)
    return {f.name: f for f in sorted(found, key=lambda f: (f.rank, f.name))}


def writers() -> dict[str, Format]:
    """The text formats that can be written, by their `--format` name."""
    return {f.written_as or f.name: f for f in formats().values() if f.write is not None}


def byte_writers() -> dict[str, Format]:
    """The binary formats that can be written (to a file or a pipe, not a terminal)."""
    return {f.written_as or f.name: f for f in formats().values() if f.write_bytes is not None}


def detect(data: bytes | mmap) -> str:
    """The format of a file from its first bytes: the first format whose sniffer takes
    it; else our own, whose reader says what is wrong. A JSON file is ours or
    TimelineJS's: decided by the loader once decoded."""
    head = data[:65536].lstrip(_LEADING)[:4096]
    if not head and len(data) > 65536:
        head = bytes(data).lstrip(_LEADING)[:4096]
    if b"\x00" in head:
        for fmt in formats().values():  # a binary format knows its own first bytes
            if fmt.binary and fmt.sniff is not None and fmt.sniff(head, set()):
                return fmt.name
    if b"\x00" in head or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "timeline"  # UTF-16 or binary: the JSON reader names the encoding problem
    if head[:1] in (b"{", b"[") or not head:
        return "timeline"  # JSON: ours or TimelineJS's, told apart once decoded
    columns = header_columns(head)
    for fmt in formats().values():
        if fmt.sniff is not None and fmt.sniff(head, columns):
            return fmt.name
    return "timeline"


_LEADING: Final = b"\xef\xbb\xbf \t\r\n"


def looks_like_timelinejs(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        return False
    first = next((e for e in document["events"] if isinstance(e, dict)), None)
    return first is not None and "start_date" in first and "date" not in first
