"""Folding: translating only the runs the table changes is translating the whole text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.model.text import _folding_table, fold

ACCENTED = st.sampled_from(["é", "Ł", "ß", "İ", "ǅ", "ﬁ", "①", "Ω", "\u0301", "ı", "a", " ", "Ö"])


@given(st.lists(ACCENTED | st.characters(), max_size=30).map("".join))
def test_fold_is_casefold_then_the_table_over_the_whole_text(text: str) -> None:
    expected = text.lower() if text.isascii() else text.casefold().translate(_folding_table())
    assert fold(text) == expected


def test_fold_strips_accents_and_case() -> None:
    assert fold("Łódź ÖSTERREICH Straße") == "lodz osterreich strasse"


def test_the_characters_that_fold_to_several_letters_are_all_found() -> None:
    """`_expansions` reads a few blocks for speed; a whole scan must find no others (a
    new Unicode version's casefold could add some elsewhere)."""
    from tui.model.text import _expansions

    scanned: dict[str, set[str]] = {}
    for code in range(0x80, 0x10000):
        folded = fold(chr(code))
        if len(folded) > 1:
            scanned.setdefault(folded, set()).add(chr(code))
    patterns = {
        plain: alternatives for group in _expansions().values() for plain, alternatives in group
    }
    assert set(patterns) == set(scanned)
    for plain, chars in scanned.items():
        assert all(re.fullmatch(f"(?:{patterns[plain]})", char) for char in chars), plain
    assert {"ss", "ffi", "fi"} <= set(patterns)
