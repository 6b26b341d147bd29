"""`D`: possible duplicates among the shown events, best first; `s` marks a pair the same
(it is then shown once, with the sources of both) and, on a pair marked, not the same;
Enter goes to the pair's first event. The search runs in a thread: at 100,000 events it
takes seconds, and the screen says so meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..model.debug import debug
from ..model.dupes import Pair, possible_duplicates
from ..model.events import STATUS_MARKS, Event, Timeline
from ..model.text import clean_text, plural

SHOWN = 200
"""The best pairs listed (the rest are weaker still)."""

Marker = Callable[[Sequence[tuple[str, str]], bool], None]
"""Marks pairs of events (by id) the same, or not."""


def _event_line(timeline: Timeline, event: Event) -> Content:
    file = timeline.file_of(event)
    return Content.assemble(
        "    ",
        (f"{event.date.display():<12} ", "bold"),
        STATUS_MARKS[event.status],
        " ",
        clean_text(event.title),
        (f"  {file + ' · ' if file else ''}{clean_text(event.id)}", "$text-muted"),
    )


class DupesScreen(ModalScreen[str | None]):
    """Dismissed with the id of the event to go to, or None."""

    BINDINGS = [
        Binding("escape,q,D", "dismiss", "Close", id="dupes.close"),
        Binding("s", "mark", "Same / not the same", id="dupes.mark"),
    ]

    def __init__(self, timeline: Timeline, positions: Sequence[int], mark: Marker) -> None:
        super().__init__()
        self.timeline = timeline
        self.positions = positions
        self.mark = mark
        self.pairs: list[Pair] = []
        self.found = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dupes-box"):
            yield Static(
                Content.styled(
                    f"Looking for duplicates among {plural(len(self.positions), 'event')}…",
                    "$text-muted",
                ),
                id="dupes-title",
            )
            yield OptionList(id="dupes")
            yield Static(
                Content.styled(
                    "Enter goes to the event · s marks the pair the same (shown once, with "
                    "the sources of both), or no longer the same · Esc closes",
                    "$text-muted",
                )
            )

    def on_mount(self) -> None:
        self._search(self.timeline, self.positions)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _search(self, timeline: Timeline, positions: Sequence[int]) -> None:
        found = possible_duplicates(timeline, positions)
        try:
            self.app.call_from_thread(self._show, timeline, found)
        except RuntimeError as exc:  # the app has gone meanwhile
            debug(f"possible duplicates found after the app closed: {exc!r}")

    def _show(self, timeline: Timeline, found: list[Pair]) -> None:
        if timeline is not self.timeline or not self.app.is_running or not self.is_attached:
            return  # a newer search is on its way, or the screen was closed or is closing
        self.found, self.pairs = len(found), found[:SHOWN]
        options: list[Option | None] = []
        marked = [(shown, others) for shown, others in timeline.same.items()]
        if marked:
            options.append(
                Option(Content.styled("Marked the same", "bold underline"), disabled=True)
            )
            for shown, others in marked:
                event = timeline.get(shown)
                assert event is not None
                lines = [_event_line(timeline, event)]
                lines += [_event_line(timeline, other) for other in others]
                options.append(
                    Option(
                        Content("\n").join([Content("  ✓ shown once"), *lines]), id=f"same:{shown}"
                    )
                )
            options.append(None)
        for index, pair in enumerate(self.pairs):
            first, second = timeline[pair.first], timeline[pair.second]
            head = Content.assemble((f"  {pair.score:.2f}  ", "bold"), pair.reasons())
            body = [head, _event_line(timeline, first), _event_line(timeline, second)]
            options.append(Option(Content("\n").join(body), id=f"pair:{index}"))
        among = plural(len(self.positions), "event")
        title = f"{plural(self.found, 'possible duplicate')} among {among}"
        if self.found > len(self.pairs):
            title += f" (the best {len(self.pairs)})"
        if not self.found:
            title = f"No possible duplicates among {among}"
        self.query_one("#dupes-title", Static).update(Content.styled(title, "bold"))
        option_list = self.query_one("#dupes", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        enabled = [i for i, o in enumerate(option_list.options) if not o.disabled]
        option_list.highlighted = enabled[0] if enabled else None
        option_list.focus()

    def _chosen(self) -> str | None:
        option_list = self.query_one("#dupes", OptionList)
        if option_list.highlighted is None:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        chosen = message.option.id or ""
        if chosen.startswith("pair:"):
            self.dismiss(self.timeline[self.pairs[int(chosen[5:])].first].id)
        elif chosen.startswith("same:"):
            self.dismiss(chosen[5:])

    def action_mark(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        if chosen.startswith("pair:"):
            pair = self.pairs[int(chosen[5:])]
            first, second = self.timeline[pair.first], self.timeline[pair.second]
            self.mark([(first.id, second.id)], True)
        elif chosen.startswith("same:"):  # every link among them, however they were made
            shown = chosen[5:]
            members = [shown, *(other.id for other in self.timeline.same.get(shown, ()))]
            self.mark(list(combinations(members, 2)), False)

    def refresh_pairs(self, timeline: Timeline, positions: Sequence[int]) -> None:
        """After a mark (the timeline shows the pair once now), or a reload."""
        self.timeline, self.positions = timeline, positions
        self._search(timeline, positions)
