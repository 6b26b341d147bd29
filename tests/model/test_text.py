"""Folding: translating only the runs the table changes is translating the whole text."""

from __future__ import annotations

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
