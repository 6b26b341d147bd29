"""`timeline schema` prints a valid JSON Schema that agrees with the loader on shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import BUNDLED, DATA, ROOT

BAD = DATA / "bad"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    printed = subprocess.run(
        [sys.executable, "-m", "tui", "schema"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_bundled_file_is_valid(validator: jsonschema.Draft202012Validator) -> None:
    assert list(validator.iter_errors(json.loads(BUNDLED.read_text(encoding="utf-8")))) == []


# Files of the bad corpus that are JSON, and whether their shape is wrong. Semantic
# errors (30 February, duplicate ids, dangling relations) are the loader's to find.
SHAPES = {
    "wrong-types.json": False,
    "bad-dates.json": False,  # 2025-13-01 and 0000-00-00 do not match the date pattern
    "empty-events.json": True,
    "relation-cycle.json": True,
    "misspelt-and-dangling.json": True,  # unknown keys are allowed
    "utf8-bom.json": True,
}


@pytest.mark.parametrize(("name", "valid"), sorted(SHAPES.items()))
def test_the_bad_corpus(validator: jsonschema.Draft202012Validator, name: str, valid: bool) -> None:
    document = json.loads((BAD / name).read_text(encoding="utf-8-sig"))
    errors = list(validator.iter_errors(document))
    assert (errors == []) is valid, [e.message for e in errors]


def test_non_json_files_of_the_corpus_are_not_json() -> None:
    for path in sorted(BAD.glob("*.json")):
        if path.name not in SHAPES:
            with pytest.raises(ValueError):
                json.loads(path.read_bytes().decode("utf-8"))


def test_the_schema_states_the_date_syntax_and_statuses(
    validator: jsonschema.Draft202012Validator,
) -> None:
    def one(**fields: object) -> list[str]:
        event = {"id": "a", "date": "2025-01-09", "title": "t", **fields}
        return [e.message for e in validator.iter_errors({"events": [event]})]

    assert one() == []
    assert one(date="2025-01-09~/..", reported="2025-01") == []
    assert one(date="9 Jan 2025")
    assert one(status="rumoured")
    assert one(place={"name": "X", "lat": 91})
    assert one(id="")
    assert one(witness={"any": "thing"}) == []


def test_schema_and_loader_agree_on_the_examples(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    from tui.model.loading import load_bytes
    from tui.model.problems import LoadError

    for event in [{"id": "a", "date": "2025", "title": 5}, {"id": "a", "title": "no date"}]:
        data = json.dumps({"events": [event]}).encode()
        assert list(validator.iter_errors(json.loads(data)))
        with pytest.raises(LoadError):
            load_bytes(data, "x")


@pytest.mark.parametrize(
    ("source", "citation", "history", "valid"),
    [
        (
            {"reliability": "B", "captured": "2025-01-13", "sha256": "ab" * 32},
            {"credibility": 2},
            [{"date": "2025-01-12", "status": "confirmed", "by": ["NIS"]}],
            True,
        ),
        ({"reliability": "G"}, {}, [], False),
        ({"sha256": "AB" * 32}, {}, [], False),
        ({"captured": "13 Jan"}, {}, [], False),
        ({}, {"credibility": 7}, [], False),
        ({}, {"credibility": "2"}, [], False),
        ({}, {}, [{"status": "confirmed"}], False),  # a step needs its date
        ({}, {}, [{"date": "2025-01-12", "status": "verified"}], False),
    ],
)
def test_the_schema_states_the_provenance_fields(
    validator: jsonschema.Draft202012Validator,
    source: dict[str, object],
    citation: dict[str, object],
    history: list[object],
    valid: bool,
) -> None:
    document = {
        "sources": {"s": {"title": "S", **source}},
        "events": [
            {
                "id": "e",
                "date": "2025-01-12",
                "title": "T",
                "sources": [{"ref": "s", **citation}],
                "history": history,
            }
        ],
    }
    assert (list(validator.iter_errors(document)) == []) is valid
