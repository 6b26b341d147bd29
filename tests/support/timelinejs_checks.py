"""The structure checks TimelineJS3 applies when it loads a file
(src/js/core/TimelineConfig.js and src/js/date/TLDate.js), in Python, so
a test can hold our `--format timelinejs` output to them."""

from __future__ import annotations

import re
from typing import Any

DATE_PARTS = ("millisecond", "second", "minute", "hour", "day", "month", "year")


def date_errors(date: Any, where: str) -> list[str]:
    if not isinstance(date, dict):
        return [f"{where}: missing_start_date_err"]
    errors = []
    for name in DATE_PARTS:
        value = date.get(name, "")
        text = str(value).strip() if value is not None else ""
        if not re.fullmatch(r"-?\d*", text):  # TLDate._getDateData: "invalid_date_err"
            errors.append(f"{where}: invalid_date_err {name} = {value!r}")
    if str(date.get("year", "")).strip() == "":
        errors.append(f"{where}: no year")
    month = str(date.get("month", "")).strip()
    if month and not 1 <= int(month) <= 12:
        errors.append(f"{where}: month {month}")
    return errors


def check(document: Any) -> list[str]:
    """Every problem TimelineJS would log; [] when it would load the file."""
    if not isinstance(document, dict) or not document.get("events"):
        return ["Timeline configuration has no events."]
    errors: list[str] = []
    ids: set[str] = set()
    title = document.get("title")
    if title is not None:
        if not isinstance(title, dict) or not isinstance(title.get("text", {}), dict):
            errors.append("title: not a slide")
        elif title.get("unique_id"):
            ids.add(str(title["unique_id"]))
    for index, event in enumerate(document["events"]):
        where = f"event {index}"
        if "start_date" not in event:
            errors.append(f"{where}: missing_start_date_err")
            continue
        errors += date_errors(event["start_date"], where + " start_date")
        if "end_date" in event:
            errors += date_errors(event["end_date"], where + " end_date")
        unique_id = str(event.get("unique_id", "")).strip()
        if unique_id:
            if unique_id in ids:
                errors.append(f"{where}: duplicate unique_id {unique_id}")
            ids.add(unique_id)
        text = event.get("text", {})
        if not isinstance(text, dict) or not all(
            isinstance(text.get(k, ""), str) for k in ("headline", "text")
        ):
            errors.append(f"{where}: text must hold strings")
        for key in ("display_date", "group"):
            if key in event and not isinstance(event[key], str):
                errors.append(f"{where}: {key} must be a string")
    for index, era in enumerate(document.get("eras", [])):
        if "start_date" not in era or "end_date" not in era:
            errors.append(f"era {index}: All eras must have start and end dates.")
    return errors
