"""Getting an event file's bytes (a path, standard input, a mapped big file) and
decoding them: JSON with msgspec, text formats as UTF-8, each encoding problem at its
line and column."""

from __future__ import annotations

import codecs
import gc
import mmap
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Final, NamedTuple

import msgspec

from .events import Timeline
from .problems import LoadError, Problem, Severity

STDIN: Final = "-"
READ_CHUNK: Final = 8 * 1024 * 1024
MAP_AT_LEAST: Final = 4 * 1024 * 1024
"""Smaller files are read: mapping pays only where copying the bytes costs."""


Buffer = bytes | mmap.mmap

Progress = Callable[[str], None]
"""Told what loading is doing (`reading 40%`, `decoding`), for a progress display."""


_pause_lock: Final = threading.Lock()
_pauses = 0
_enabled_before = False

FREEZE_AT_LEAST: Final = 50_000
"""Smaller timelines cost the collector little: nothing is frozen for them."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """No collections while decoding (on big files they would dominate). Afterwards,
    whatever happened, the collector is as it was: on or off, with loads in several
    threads at once. Nothing is frozen here (see keep_out_of_collections)."""
    global _pauses, _enabled_before
    with _pause_lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()


def keep_out_of_collections(timeline: Timeline) -> None:
    """For the process that keeps a large timeline (the app, a `print`), once it holds it
    and has let go of any earlier one: what is alive now is frozen (gc.freeze), so later
    collections do not walk its millions of objects again and again. What was frozen
    before is unfrozen first, so a timeline replaced on reload is collected as usual."""
    if len(timeline) < FREEZE_AT_LEAST:
        return
    gc.unfreeze()
    gc.freeze()


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


class StartTold(NamedTuple):
    """What `standard_input` tells of a large input's start while it copies the rest:
    `told` its first `keep` bytes, once `past` bytes have come (a smaller input is read in
    a moment, and nothing is told)."""

    told: Callable[[bytes], None]
    keep: int
    past: int


@contextmanager
def standard_input(start: StartTold | None = None) -> Iterator[bytes | str]:
    """Standard input: its bytes, or past MAP_AT_LEAST the path of a scratch copy
    (deleted afterwards), which the loader maps as it maps a large file, so that its
    pages can be let go while the events are made (bytes read stay in memory whole).
    `start`: told the start of a large input before the rest is read (a pipe's writer
    may take long to finish it)."""
    name = display_name(STDIN)
    stdin = sys.stdin.buffer
    try:
        head = stdin.read(MAP_AT_LEAST)
    except OSError as exc:
        raise LoadError(name, [Problem(Severity.ERROR, f"cannot read: {exc.strerror}")]) from None
    if len(head) < MAP_AT_LEAST:
        yield head
        return
    import shutil
    import tempfile  # these two only here: not on the way of a small file

    with tempfile.TemporaryDirectory(prefix="timeline-stdin-") as scratch:
        path = os.path.join(scratch, "stdin")
        try:
            with open(path, "wb") as handle:
                handle.write(head)
                if start is not None:
                    kept, copied = head[: start.keep], len(head)
                    while copied < start.past and (chunk := stdin.read(READ_CHUNK)):
                        handle.write(chunk)
                        copied += len(chunk)
                        kept += chunk[: start.keep - len(kept)]
                    if copied >= start.past:
                        start.told(kept)
                    del kept
                del head
                shutil.copyfileobj(stdin, handle, READ_CHUNK)
        except OSError as exc:
            reason = f"cannot read: no room for a copy in {scratch} ({exc.strerror})"
            raise LoadError(name, [Problem(Severity.ERROR, reason)]) from None
        yield path


def read_bytes(path: str, progress: Progress | None = None) -> bytes:
    """The file's bytes, or a LoadError that says plainly why not."""
    name = display_name(path)
    try:
        if path == STDIN:
            return sys.stdin.buffer.read()
        with open(path, "rb") as handle:
            if progress is None:
                return handle.read()
            return _read_in_chunks(handle, progress)
    except FileNotFoundError:
        reason = "no such file"
    except IsADirectoryError:
        reason = "is a directory, not an event file"
    except PermissionError:
        reason = "permission denied"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise LoadError(name, [Problem(Severity.ERROR, f"cannot read: {reason}")])


def _read_in_chunks(handle: Any, progress: Progress) -> bytes:
    import os

    size = os.fstat(handle.fileno()).st_size
    chunks = []
    done = 0
    while chunk := handle.read(READ_CHUNK):
        chunks.append(chunk)
        done += len(chunk)
        progress(f"reading {100 * done // max(size, 1)}%")
    return b"".join(chunks)


def file_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def first_byte(data: Buffer) -> bytes:
    """The first byte that is not JSON whitespace (without copying a big file to strip it)."""
    match = _NOT_SPACE.search(data)
    return b"" if match is None else match.group()


_NOT_SPACE: Final = re.compile(rb"[^ \t\r\n]")


def decode_text(data: bytes, source: str) -> str:
    """Text formats (CSV, iCalendar) as str, with the same encoding errors as JSON."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise encoding_error(data, source) from None


def checked_utf8(data: bytes, source: str) -> bytes:
    """decode_text's check without the text, for a reader of bytes (iCalendar's): checked
    as UTF-8 a part at a time (never the whole file as a str, four bytes a character
    where one is outside the first plane), the byte-order mark dropped."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.isascii():
        return data
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHECKED_PART):
            decoder.decode(view[start : start + _CHECKED_PART])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise encoding_error(data, source) from None
    return data


_CHECKED_PART: Final = 1 << 22


def decode(data: bytes, source: str) -> Any:
    def fail(message: str, offset: int | None = None) -> LoadError:
        problem = Problem(Severity.ERROR, message)
        if offset is not None:
            line, column = byte_position(data, offset)
            problem = problem.located(line, column)
        return LoadError(source, [problem])

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise fail(
            "the file is UTF-16 (byte-order mark at byte offset 0); event files are UTF-8", 0
        )
    elif _looks_like_utf16(data):
        first = data.index(0)
        raise fail(
            f"the file looks like UTF-16 (NUL bytes from byte offset {first});"
            " event files are UTF-8",
            0,
        )
    if not data.strip():
        raise fail("the file is empty; expected a JSON object with an `events` list", 0)
    try:
        with gc_paused():
            return msgspec.json.decode(data)
    except UnicodeDecodeError:
        raise encoding_error(data, source) from None
    except RecursionError:
        raise fail("invalid JSON: nested too deeply to read (over about 1,000 levels)") from None
    except msgspec.DecodeError as exc:
        message = str(exc)
        if "UTF-8" in message:  # msgspec 0.23 says so itself, without where: we do
            raise encoding_error(data, source) from None
        match = re.search(r"\s*\(byte (\d+)\)$", message)
        if match:
            offset = int(match.group(1))
            message = message[: match.start()]
        else:
            offset = len(data)
        message = message.replace("JSON is malformed: ", "invalid JSON: ")
        if first_byte(data) not in (b"{", b"[") and offset <= len(data) - len(data.lstrip()):
            message = (
                "not an event file: expected JSON (starting with { or [), a CSV whose"
                " first row names its columns (date, title, …; comma, semicolon or tab"
                " between them), or an iCalendar file"
            )
        elif message == "Input data was truncated":
            message = "invalid JSON: the file ends too soon (truncated?)"
        elif data[offset : offset + 1] == b"\x00":
            message = "invalid JSON: a NUL byte (0x00); is this a binary file?"
        elif message.endswith("trailing characters"):
            offset -= 1  # msgspec names the byte after the first one
            if _json_lines(data, offset):
                message += (
                    ": one JSON object per line (JSON Lines)? An event file is one JSON"
                    " document: the events in a list (`jq -s . FILE` makes one)"
                )
        raise fail(message, offset) from None


def _json_lines(data: bytes, offset: int) -> bool:
    """Whether the text is an object, then a line break and another object (at `offset`,
    where the decoder found more than one document)."""
    before = data[max(0, offset - 4096) : offset]  # not a copy of a whole mapped file
    ended = before.rstrip()
    return (
        first_byte(data) == b"{"
        and ended.endswith(b"}")
        and b"\n" in before[len(ended) :]
        and data[offset : offset + 1] == b"{"
    )


def _looks_like_utf16(data: bytes) -> bool:
    """ASCII text in UTF-16 without a byte-order mark: every other byte is NUL."""
    head = data[:64]
    return len(head) >= 4 and head.count(0) * 2 >= len(head) - 1 and (head[0] == 0 or head[1] == 0)


def encoding_error(data: bytes, source: str) -> LoadError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        byte = data[offset]
        line, column = byte_position(data, offset)
        hint = " (Latin-1 or Windows-1252?)" if 0x80 <= byte <= 0xFF else ""
        message = f"not UTF-8: byte 0x{byte:02X} at byte offset {offset}{hint}"
        return LoadError(source, [Problem(Severity.ERROR, message, line=line, column=column)])
    return LoadError(source, [Problem(Severity.ERROR, "not UTF-8")])


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    offset = min(offset, len(data))
    return byte_positions(data, [offset])[offset]


def byte_positions(data: Buffer, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Line and column (in characters) of many byte offsets, in one pass over the file,
    read a window at a time (a slice of a mapped file is a copy). The text before each
    offset is UTF-8 (it was decoded, or it is before the first byte that is not)."""
    result: dict[int, tuple[int, int]] = {}
    line, done, column = 1, 0, 1
    for offset in sorted(set(offsets)):
        newlines = sum(window.count(b"\n") for window in _windows(data, done, offset))
        if newlines:
            line += newlines
            done = data.rfind(b"\n", done, offset) + 1
            column = 1
        column += sum(map(_characters, _windows(data, done, offset)))
        done = offset
        result[offset] = (line, column)
    return result


WINDOW: Final = 16 * 1024 * 1024
_CONTINUATION: Final = bytes(range(0x80, 0xC0))


def _windows(data: Buffer, start: int, end: int) -> Iterator[bytes]:
    """The bytes from start to end, WINDOW at a time, a mapped file's pages let go after
    each."""
    for at in range(start, end, WINDOW):
        yield data[at : min(at + WINDOW, end)]
        if end - start > WINDOW:
            let_go(data)


def _characters(text: bytes) -> int:
    """How many characters UTF-8 bytes hold (those that do not continue one), whole
    or not at either end."""
    return len(text.translate(None, _CONTINUATION))


def let_go(data: Buffer) -> None:
    """A mapped file's pages no longer counted in this process's memory (read again from
    the file where needed): after a pass over a large file, while its events are being
    made, so that the two are never both in memory whole."""
    if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        data.madvise(mmap.MADV_DONTNEED)
