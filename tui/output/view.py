"""What the app's export writes: the events shown, in a format chosen by the file's
name. Markdown and text carry the brief (which filter, day and context made the view)
and the analyst's stars, labels and notes; the data formats (JSON, CSV, iCalendar)
carry the published record only, as `timeline print` does without `--notes`."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..model.events import Timeline

if TYPE_CHECKING:
    from ..model.sidecar import Annotation

TEXT_WIDTH = 100


def view_text(
    timeline: Timeline,
    positions: Sequence[int],
    fmt: str,
    query: str,
    view: Sequence[str] = (),
    annotations: Mapping[str, Annotation] | None = None,
) -> str:
    if fmt == "markdown":
        from .markdown import markdown_lines

        lines = markdown_lines(
            timeline, positions, False, query, view=view, annotations=annotations
        )
        return "".join(line + "\n" for line in lines)
    if fmt == "text":
        from .render import plain, text_lines

        made_by = [f"filtered by {query}"] if query.strip() else []
        head = [", ".join([*made_by, *view])] if made_by or view else []
        rows = text_lines(timeline, positions, TEXT_WIDTH, False, annotations)
        texts = [plain(line) for line in rows]
        return "".join(line + "\n" for line in texts[:2] + head + texts[2:])
    from ..formats import writers

    out = io.StringIO()
    write = writers()[fmt].write
    assert write is not None
    write(timeline, positions, out)
    return out.getvalue()
