"""What the app remembers between runs (each file's filter history, the theme), in one
JSON file in the user's data folder, written atomically: a temporary file in
the same folder, flushed and synced, then renamed over the old one. A reader
sees the old content or the new, never half of either."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from .debug import debug

STALE_SECONDS = 60
"""A temporary file this old was left by a writer that died; it is removed."""


def remove_stale_temporaries(path: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError as exc:  # another writer's, or gone already: left for next time
            debug(f"could not remove the leftover {leftover}: {exc.strerror or exc}")


def write_atomically(path: Path, text: str) -> None:
    write_atomically_bytes(path, text.encode("utf-8"))


def write_atomically_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    try:
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError as exc:  # the rename is done; only its durability is not certain
        debug(f"could not sync the folder of {path}: {exc.strerror or exc}")
        return
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class StateStore:
    """Reads on every change and writes the whole file, so two running apps
    lose nothing but a simultaneous change to the same key.

    Not `writable` (a served app, unless `timeline serve --writable`): read, never
    written, nor a corrupt file moved aside; what the user changes lasts the session."""

    def __init__(self, path: Path, *, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self.warnings: list[str] = []
        self._session: dict[str, Any] | None = None
        """Without `writable`: the file as read, with this session's changes."""

    def read(self) -> dict[str, Any]:
        if self._session is not None:
            copied: dict[str, Any] = json.loads(json.dumps(self._session))
            return copied
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.warnings.append(f"cannot read {self.path}: {exc.strerror}")
            return {}
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            if not self.writable:
                self.warnings.append(f"{self.path} is corrupt; left as it is")
                return {}
            aside = self.path.with_name(
                f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
            )
            try:
                os.replace(self.path, aside)
                self.warnings.append(
                    f"{self.path} was corrupt; kept it as {aside.name} and started afresh"
                )
            except OSError as exc:
                self.warnings.append(f"{self.path} is corrupt and could not be moved aside: {exc}")
            return {}
        return data

    def update(self, key: str, value: Any) -> None:
        data = self.read()
        data[key] = value
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        if not self.writable:
            self._session = data
            return
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def strings(self, kind: str, file_key: str) -> list[str]:
        """A list kept per file: `bookmarks` (read once, to become stars), `history`."""
        value = self.read().get(kind, {}).get(file_key, [])
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def set_strings(self, kind: str, file_key: str, values: list[str]) -> None:
        data = self.read()
        per_file = data.get(kind)
        if not isinstance(per_file, dict):
            per_file = {}
        if values:
            per_file[file_key] = values
        else:
            per_file.pop(file_key, None)
        data[kind] = per_file
        self._write(data)

    def theme(self) -> str | None:
        value = self.read().get("theme")
        return value if isinstance(value, str) else None
