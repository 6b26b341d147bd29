"""What the README promises about the format is what the code reads."""

from __future__ import annotations

from tests.conftest import ROOT
from tui.model.events import INVERSE_RELATIONS
from tui.model.validation import SOURCE_KEYS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_field_of_a_source() -> None:
    for field in SOURCE_KEYS:
        assert f'"{field}": …' in README, field


def test_the_readme_lists_every_relation_understood_both_ways() -> None:
    section = README[README.index("A relation's `rel`") :][:600]
    for rel in INVERSE_RELATIONS:
        assert f"`{rel}`" in section, rel


def test_the_readme_points_to_the_schema() -> None:
    assert "`timeline schema` prints the JSON Schema" in README
