"""Counts per status, kind, tag, actor, place and claimant over the shown events;
choosing one returns the filter term that selects it."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..model.events import Timeline
from ..model.sidecar import Layer
from ..model.store import TextCounts
from ..model.text import clean_text
from ..output.stats import FACET_FIELDS, facet_counts

PER_FACET = 50


def facet_term(field: str, value: str) -> str:
    """The filter term for an exact value: `tag:=pow`, `actor:"North Korea"`."""
    if any(c.isspace() or c in '"(),' for c in value):
        return f'{field}:"{value.replace(chr(34), "")}"'
    return f"{field}:={value}"


class FacetsScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape,f,q", "dismiss", "Close", id="facets.close")]

    def __init__(
        self,
        timeline: Timeline,
        positions: Sequence[int],
        mine: Layer | None = None,
        text_counts: TextCounts | None = None,
    ) -> None:
        """`mine`: the analyst's stars and labels, counted too. `text_counts`: the word
        index's, once it is built (a large timeline)."""
        super().__init__()
        self.counts = facet_counts(timeline, positions, text_counts)
        self.total = len(positions)
        self.mine = Counter[str]()
        self.labels = Counter[str]()
        if mine is not None and (mine.starred or mine.labels):
            # Looked up mark by mark (positions are in timeline order), not event by event;
            # an event marked under an alias of its id counts once, as `is:starred` finds it.
            def shown(event_id: str) -> int | None:
                position = timeline.position.get(event_id)
                if position is None:
                    return None
                k = bisect_left(positions, position)
                return position if k < len(positions) and positions[k] == position else None

            starred = {shown(i) for i in mine.starred} - {None}
            self.mine["is:starred"] = len(starred)
            labelled: dict[str, set[int]] = {}
            for event_id, labels in mine.labels.items():
                position = shown(event_id)
                if position is not None:
                    for label in labels:
                        labelled.setdefault(label, set()).add(position)
            self.labels.update({label: len(found) for label, found in labelled.items()})

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        for name, title, _ in FACET_FIELDS:
            counter = self.counts[name]
            if not counter:
                continue
            if options:
                options.append(None)
            options.append(
                Option(Content.styled(f"{title} ({len(counter)})", "bold underline"), disabled=True)
            )
            for value, count in counter.most_common(PER_FACET):
                label = Content.assemble((f"{count:>6}  ", "bold"), value)
                options.append(Option(label, id=facet_term(name, value)))
        if self.mine["is:starred"] or self.labels:
            if options:
                options.append(None)
            options.append(Option(Content.styled("Yours", "bold underline"), disabled=True))
            if self.mine["is:starred"]:
                label = Content.assemble((f"{self.mine['is:starred']:>6}  ", "bold"), "★ starred")
                options.append(Option(label, id="is:starred"))
            for value, count in self.labels.most_common(PER_FACET):
                label = Content.assemble((f"{count:>6}  ", "bold"), f"#{clean_text(value)}")
                options.append(Option(label, id=facet_term("label", value)))
        with Vertical(id="facets-box"):
            yield Static(
                Content.styled(
                    f"Facets of the {self.total} shown events · Enter adds to the filter",
                    "$text-muted",
                )
            )
            yield OptionList(*options, id="facets")

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(message.option.id)
