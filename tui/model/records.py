"""The event file's format as types: what each key may hold.

These records are the single statement of the format: the loader takes its
known keys from them, and `timeline schema` prints the JSON Schema that
msgspec generates from them. Checking values against them (and more: real
calendar days, unique ids, relations that resolve) is the loader's work.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

import msgspec

_POINT: Final = (
    r"-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d{2}:\d{2})?)?)?)?[~?%]?"
)
EDTF_PATTERN: Final = rf"^({_POINT}|({_POINT}|\.\.)/({_POINT}|\.\.))$"

Date = Annotated[
    str,
    msgspec.Meta(
        pattern=EDTF_PATTERN,
        description="EDTF: 2025-01-09, 2025-01, 2025, 2025-01-09T14:30+02:00, with ~ (about), "
        "? (uncertain) or % (both); an interval A/B with .. for an open end.",
        examples=["2025-01-09", "2024-10", "2024-12~", "2025-01-09/2025-01-12"],
    ),
]
Text = str | None
Names = list[str] | str | None


class PlaceRecord(msgspec.Struct, omit_defaults=True):
    name: str
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    lon: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None


class SourceRefRecord(msgspec.Struct, omit_defaults=True):
    """A citation: `ref` names one of the file's `sources`; or the source is given inline."""

    ref: Text = None
    quote: Annotated[Text, msgspec.Meta(description="Words of the source, verbatim.")] = None
    title: Text = None
    url: Text = None
    credibility: (
        Annotated[
            int,
            msgspec.Meta(
                ge=1,
                le=6,
                description="Admiralty information credibility: 1 confirmed by other sources,"
                " 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be"
                " judged.",
            ),
        ]
        | None
    ) = None


class RelationRecord(msgspec.Struct, omit_defaults=True):
    id: str
    rel: Annotated[
        Text,
        msgspec.Meta(
            description="Free text; understood both ways: confirms/confirmed-by, "
            "follows/followed-by, responds-to/response, contradicts, part-of/has-part."
        ),
    ] = None


Status = Literal["confirmed", "reported", "claimed", "disputed", "denied", "context"]


class StatusChangeRecord(msgspec.Struct, omit_defaults=True):
    """A step of the status history: from `date` on, `status`, on the word of `by`."""

    date: Date
    status: Status | None = None
    by: Names = None
    note: Annotated[Text, msgspec.Meta(description="What changed (a revised figure).")] = None


class EventRecord(msgspec.Struct, omit_defaults=True):
    """One event. Keys the format doesn't know are kept and shown."""

    id: Annotated[str, msgspec.Meta(min_length=1, description="Unique in the file.")]
    date: Annotated[Date, msgspec.Meta(description="When it happened.")]
    title: str
    summary: Text = None
    kind: Text = None
    tags: Names = None
    actors: Names = None
    place: PlaceRecord | str | None = None
    reported: Annotated[Date, msgspec.Meta(description="When it became public.")] | None = None
    status: Annotated[
        Status | None,
        msgspec.Meta(
            description="confirmed: independently verified; reported: by credible sources, "
            "not verified; claimed: asserted by a party; disputed: sources disagree; "
            "denied: a party denies it; context: background. Left out: not stated."
        ),
    ] = None
    claimed_by: Names = None
    sources: list[SourceRefRecord | str] | None = None
    related: list[RelationRecord] | None = None
    notes: Text = None
    history: (
        Annotated[
            list[StatusChangeRecord],
            msgspec.Meta(
                description="How the status changed, oldest first; `status` is the latest."
            ),
        ]
        | None
    ) = None


Reliability = Literal["A", "B", "C", "D", "E", "F"]


class SourceRecord(msgspec.Struct, omit_defaults=True):
    title: Text = None
    published: Date | None = None
    publisher: Text = None
    url: Text = None
    reliability: (
        Annotated[
            Reliability,
            msgspec.Meta(
                description="Admiralty source reliability: A completely reliable, B usually"
                " reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot"
                " be judged."
            ),
        ]
        | None
    ) = None
    archived: Annotated[Text, msgspec.Meta(description="An archived copy's URL.")] = None
    captured: Annotated[Date, msgspec.Meta(description="When that copy was made.")] | None = None
    sha256: (
        Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$", description="Of the copy.")] | None
    ) = None


class EventFile(msgspec.Struct, omit_defaults=True):
    """A timeline: what it covers, its named sources, and its events."""

    events: list[EventRecord]
    title: Text = None
    description: Text = None
    sources: dict[str, SourceRecord] | None = None


def field_names(record: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(field.encode_name for field in msgspec.structs.fields(record))


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of an event file: an object, or a bare list of events."""
    schema = msgspec.json.schema(EventFile | list[EventRecord])
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "timeline event file"
    return schema
