"""Making data text safe to show, and folding it for search."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable
    from mmap import mmap

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
# A line break with the spaces around it; at either end of a one-line value, gone.
_BREAK: Final = re.compile(r" *\n[ \n]*")
_EDGE_BREAKS: Final = re.compile(r"^[ \n]*\n[ \n]*|[ \n]*\n[ \n]*$")


_RAW_IN_JSON: Final = re.compile(
    "[\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]"
)
"""What clean_text removes (or breaks a line at) that JSON writes as it is."""


def json_quoted(value: str) -> str:
    """`value` as a JSON string that is safe to show: what JSON would leave raw among the
    characters clean_text removes (a C1 control, a bidirectional override) is written as
    a \\u escape, so the text decodes back to `value` and reaches no terminal as is."""
    import json

    quoted = json.dumps(value, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Remove control characters and terminal escape sequences from data text.

    A whole escape sequence (CSI, OSC with its payload) is removed, so no
    half of it is left to be misread; tabs become spaces. In one-line fields
    a line break and the spaces around it become one space (none at either
    end). Nothing else changes: the same rules for any script, so that a
    value needing no cleaning comes back as it was.
    """
    if value.isprintable():  # every character cleaning changes is a control or separator
        return value
    value = _ESCAPE_SEQUENCE.sub("", value).replace("\t", " ")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in value or "\u2029" in value or "\x85" in value:
        value = value.translate(_LINE_SEPARATORS)  # slow per character, so only if needed
    value = _CONTROLS.sub("", value)
    if not multiline and "\n" in value:
        value = _BREAK.sub(" ", _EDGE_BREAKS.sub("", value))
    return value


# Blocks whose letters carry accents or have compatibility forms (ligatures,
# full-width letters); Hangul and other scripts fold to themselves.
_FOLDED_BLOCKS: Final = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x1E00, 0x1FFF),  # Latin Extended Additional, Greek Extended
    (0x2100, 0x218F),  # letterlike symbols, number forms
    (0xFB00, 0xFB4F),  # ligatures
    (0xFF00, 0xFFEF),  # full-width forms
)
_folding: dict[int, str | None] | None = None
_foldable: re.Pattern[str] | None = None

# Letters with no decomposition, so NFKD leaves them be, that readers write without
# their stroke or ligature all the same: `Lodz` for Łódź, `Radoslaw`, `Orsted`, `Dakovic`.
NON_DECOMPOSING: Final = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ƀ": "b",
    "ɨ": "i", "ƚ": "l", "ƶ": "z", "ǥ": "g", "ɍ": "r", "ɏ": "y", "ȼ": "c", "ɇ": "e",
    "ɉ": "j", "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ĸ": "k", "ŋ": "n", "ƒ": "f",
}  # fmt: skip


def _folding_table() -> dict[int, str | None]:
    """A `str.translate` table: accented and compatibility letters to their plain
    forms, combining marks to nothing. Built on first use, in a few milliseconds."""
    global _folding
    if _folding is None:
        import string  # not on `print`'s way when nothing is searched

        table: dict[int, str | None] = {
            code: None for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))
        }
        for first, last in _FOLDED_BLOCKS:
            for code in range(first, last + 1):
                char = chr(code)
                plain = "".join(
                    c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
                ).casefold()
                if plain != char.casefold():
                    table[code] = plain
        for letter, plain in NON_DECOMPOSING.items():
            for cased in _cases(letter) - set(string.ascii_letters):  # ı upper-cases to I
                table[ord(cased)] = plain
        _folding = table
    return _folding


def _foldable_pattern() -> re.Pattern[str]:
    """A run of characters the table changes: `translate` is slow per character, so it
    runs only on these (a regex character class searches at C speed)."""
    global _foldable
    if _foldable is None:
        _foldable = re.compile(_class_of(_folding_table()) + "+")
    return _foldable


def _class_of(codes: Iterable[int]) -> str:
    """A regex character class of these code points, as ranges."""
    ordered = sorted(codes)
    ranges, start, previous = [], ordered[0], ordered[0]
    for code in [*ordered[1:], -1]:
        if code != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = code
        previous = code
    return f"[{''.join(ranges)}]"


_marks: str | None = None


def _marks_class() -> str:
    """A regex class of the characters folding drops (combining marks, in any script):
    any of them may follow any character, or start a value, and the needle still match,
    as it does in the folded text the word index and SQL read."""
    global _marks
    if _marks is None:
        _marks = _class_of(code for code, plain in _folding_table().items() if not plain)
    return _marks


_variants: dict[str, str] | None = None


def _letter_variants() -> dict[str, str]:
    """For each folded letter, a regex class of every character that folds to it, in
    either case: `e` → `[EeÈèÉé…]`. Case is spelt out rather than left to
    re.IGNORECASE, which makes the regex engine lower-case each character it
    tries: four times slower over a million texts."""
    global _variants
    if _variants is None:
        groups: dict[str, set[str]] = {}
        for code, plain in _folding_table().items():
            if plain is not None and len(plain) == 1:
                groups.setdefault(plain, {plain}).add(chr(code))
        for letter in "abcdefghijklmnopqrstuvwxyz":
            groups.setdefault(letter, {letter})
        # Letterlike symbols lower-case to a letter that does not upper-case back to
        # them (the Kelvin sign to k, the Ohm sign to ω); a scan of every BMP
        # character finds no others, and takes 40 ms, this one none.
        odd: dict[str, set[str]] = {}
        for code in range(0x2100, 0x2150):
            lower = chr(code).lower()
            if len(lower) == 1 and lower != chr(code) and lower.upper() != chr(code):
                odd.setdefault(lower, set()).add(chr(code))
        _variants = {}
        for plain, chars in groups.items():
            cased = {c for char in chars for c in _cases(char)}
            cased |= {o for c in list(cased) for o in odd.get(c, ())}
            _variants[plain] = "[" + "".join(re.escape(c) for c in sorted(cased)) + "]"
    return _variants


def _cases(char: str) -> set[str]:
    return {c for c in (char, char.lower(), char.upper(), char.title()) if len(c) == 1}


_expanding: dict[str, list[tuple[str, str]]] | None = None
_ARMENIAN: Final = (0x0530, 0x058F)


def _expansions() -> dict[str, list[tuple[str, str]]]:
    """Characters that fold to several letters (ß → ss from the table, ﬁ → fi and ﬃ →
    ffi from casefold itself), by the first letter they fold to: what they fold to, and
    a regex of them. Found in the blocks the table folds and Armenian (և), where all of
    them are: 4 ms, where the whole Basic Multilingual Plane takes 40 (a test holds the
    two to the same)."""
    global _expanding
    if _expanding is None:
        found: dict[str, list[str]] = {}
        for first, last in (*_FOLDED_BLOCKS, _ARMENIAN):
            for code in range(first, last + 1):
                folded = fold(chr(code))
                if len(folded) > 1:
                    found.setdefault(folded, []).append(chr(code))
        _expanding = {}
        for plain, chars in found.items():
            alternatives = "|".join(map(re.escape, chars))
            _expanding.setdefault(plain[0], []).append((plain, alternatives))
    return _expanding


LONGEST_PATTERN: Final = 20_000
"""Past this, a needle's pattern spells each letter alone: each place where a character
may stand for several letters doubles what follows (`ffff…`)."""


def needle_pattern(needle: str, word_start: bool = False, whole: bool = False) -> str:
    """A regex (no flags needed) that finds `needle` in text as `fold` would: any
    case, any accents, composed or not, a ligature or ß for its letters; with
    `word_start`, only where a word starts. Unless the needle is a `whole` value, it
    may end inside a character that folds to several letters, as a folded text's
    prefix does: `stras` finds Straße (`strasse`), `of` finds oﬃce. A needle that
    starts inside one (`2` in ½, folded `1⁄2`; `se` in Straße) is not found, where
    the word index and SQL, which read the folded text, find it.
    Searching the text as it is costs one regex search per event; folding every
    event's text first costs far more."""
    needle = fold(needle)
    variants = _letter_variants()
    classes = [_any_case(char, variants) for char in needle]
    # The word start is checked after the first character, not before it: a pattern
    # that starts with characters lets the engine skip ahead to where one occurs (three
    # to ten times faster over a million texts). Before that character's accents: the
    # character before the check is then the one that starts the word.
    check = _STARTS_A_WORD if word_start else ""
    pattern = _with_expansions(needle, classes, whole, check)
    # A whole value may start with accents, which folding drops: `́n` is the value `n`.
    if whole:
        pattern = _MARKS + "*" + pattern
    return pattern.replace(_MARKS, _marks_class())


_MARKS: Final = "(?#marks)"
"""Where a pattern takes the accents folding drops (_marks_class), as it is built: a
regex comment, which no escaped character spells, so that a pattern's length
(LONGEST_PATTERN) counts the letters and their alternatives, not the marks' long class."""
_STARTS_A_WORD: Final = rf"(?<![^\W_].)(?<![^\W_]{_MARKS}.)(?<![^\W_]{_MARKS}{{2}}.)"
"""After a word's first character: no letter or digit before it, nor one and the accents
written after it (up to two: folding drops them, so `é` written as e and an accent, then
`n`, is one word)."""


def _with_expansions(needle: str, classes: list[str], whole: bool, check: str) -> str:
    """The needle spelt letter by letter (each its class, then any accents: folding drops
    them after any character), where a character that folds to its next letters may
    stand for them, and (not `whole`) where one that folds to more than all that is left
    may end it; `check` put after the first character, whichever stands there. Built
    from the end: `spelt[k]` is `needle[k:]`'s pattern."""
    expansions = _expansions()
    spelt = [""] * (len(needle) + 1)
    for start in range(len(needle) - 1, -1, -1):
        rest = needle[start:]
        after = check if start == 0 else ""
        firsts = [classes[start]]  # each option's first character: a class, or one of
        options = [after + _MARKS + "*" + spelt[start + 1]]  # single characters
        for plain, alternatives in expansions.get(rest[0], ()):
            if rest.startswith(plain):
                firsts.append(alternatives)
                options.append(after + spelt[start + len(plain)])
            elif not whole and plain.startswith(rest):
                firsts.append(alternatives)
                options.append(after)
        if len(options) == 1:
            spelt[start] = firsts[0] + options[0]
        elif start > 0:
            each = (f"(?:{first}){option}" for first, option in zip(firsts, options, strict=True))
            spelt[start] = f"(?:{'|'.join(each)})"
        else:
            # Any of the first characters, then what follows the one that stands there: a
            # pattern that starts with one class lets the engine skip ahead to where one
            # occurs, where one that starts with a choice of them is tried at every
            # character (`strike` over 200,000 texts: 0.86 s, 0.32 s with a class).
            spelt[0] = (
                f"(?:{'|'.join(firsts)})(?:"
                + "|".join(
                    f"(?<={first}){option}" for first, option in zip(firsts, options, strict=True)
                )
                + ")"
            )
        if len(spelt[start]) > LONGEST_PATTERN:
            marks = _MARKS + "*"
            return marks.join([classes[0] + check, *classes[1:]]) + marks
    return spelt[0]


def _any_case(char: str, variants: dict[str, str]) -> str:
    """A regex class of the folded character in any case: its variants where it has
    accented or compatibility forms, else its own cases (Cyrillic `в` is `[Вв]`)."""
    found = variants.get(char)
    if found is not None:
        return found
    cased = _cases(char)
    if len(cased) == 1:
        return re.escape(char)
    return "[" + "".join(re.escape(c) for c in sorted(cased)) + "]"


def fold(value: str) -> str:
    """Lower-case and strip accents, for case- and accent-insensitive matching. Only the
    runs of characters the table changes are translated: `translate` costs a dictionary
    lookup per character, which over a whole text was most of the word index's build."""
    if value.isascii():
        return value.lower()
    return _foldable_pattern().sub(_translated, value.casefold())


def _translated(run: re.Match[str]) -> str:
    return run.group().translate(_folding_table())


WORD_MARK: Final = "\x01"
"""Put before every word start in a search form. Loaded text never holds it (control
characters are removed on load), so it can only match where it was put."""
_WORD_STARTS: Final = re.compile(r"(?<![^\W_])(?=[^\W_])")


def search_form(value: str) -> str:
    """The text as an index or a SQL `LIKE` searches it: folded, with WORD_MARK before
    each letter or digit that follows no other. A needle at a word start is then a
    plain substring (`\x01korea \x01nis`), found by `LIKE`, `contains` or `in` alike,
    where the app's evaluator runs a regex (needle_pattern) on the text as written."""
    return _WORD_STARTS.sub(WORD_MARK, fold(value))


# What `clean_text` would remove or change, as it can appear in JSON bytes: \u
# escapes (C0 and C1 controls, bidi and invisible characters), \b and \f, or the
# same characters raw in UTF-8. A one-byte `in` test runs at memchr speed, so each
# family is first looked for by its lead byte and searched only if that is there.
_ESCAPED_UNSAFE: Final = re.compile(
    rb"\\(?:[bf]|u(?:00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    rb"|200[bBeEfF]|202[89a-eA-E]|206[0-9]|061[cC]|[fF][eE][fF][fF]))"
)
_ESCAPED_WHITESPACE: Final = re.compile(rb"\\(?:[nrt]|u000[9aAdD])")
_RAW_UNSAFE: Final = (
    (b"\xc2", re.compile(rb"\xc2[\x80-\x9f]")),
    (b"\xe2", re.compile(rb"\xe2(?:\x80[\x8b\x8e\x8f\xa8-\xae]|\x81[\xa0\xa6-\xa9])")),
    (b"\xd8", re.compile(rb"\xd8\x9c")),
    (b"\xef", re.compile(rb"\xef\xbb\xbf")),
)


def bytes_need_cleaning(data: bytes | mmap) -> str:
    """ "unsafe" if JSON bytes may hold text that `clean_text` changes beyond
    whitespace, "whitespace" if only tabs or line breaks, "" if nothing. (`find`,
    not `in`: on a mapped file `in` looks for a single byte value.)"""
    whitespace = False
    if data.find(b"\\") != -1:
        if _escape_found(_ESCAPED_UNSAFE, data):
            return "unsafe"
        whitespace = _escape_found(_ESCAPED_WHITESPACE, data)
    for lead, pattern in _RAW_UNSAFE:
        if data.find(lead) != -1 and pattern.search(data):
            return "unsafe"
    return "whitespace" if whitespace else ""


def _escape_found(pattern: re.Pattern[bytes], data: bytes | mmap) -> bool:
    """Whether `pattern` (a backslash, then what follows it) is an escape somewhere: not
    a backslash escaped by the one before it (`\\\\b` is a backslash and a `b`). The
    pattern starts with a literal, which `re` scans for at memchr speed; the backslashes
    before a match are counted only where there is one."""
    for match in pattern.finditer(data):
        start = before = match.start()
        while before > 0 and data[before - 1 : before] == b"\\":
            before -= 1
        if (start - before) % 2 == 0:
            return True
    return False


def plural(count: int, word: str) -> str:
    """`1 event`, `2 events`, `0 errors`: the count and the word as English has it."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
