"""The filter language compiled to SQL (DESIGN.md §5): the same query AST that the
in-memory predicate runs, as a `WHERE` clause with bound parameters over the table
that a store lays out (`TABLE`, `STEPS`). User text only ever reaches the database
as a parameter, never pasted into the statement.

The SQL is plain: `LIKE ... ESCAPE`, comparisons, `IN`, `COALESCE` and correlated
subqueries, nothing of DuckDB's own, so that the query can run where the data lives
(another engine reached through an attach) with a small change of dialect.

Text is searched in its search form (text.search_form): folded, with a mark before
each word start, so that "a needle at a word start, in any case and with any accents"
is a plain substring test. Every term is two-valued (never NULL), so that NOT of a
term is what it is in Python: `-reliability:<=B` keeps the ungraded events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final, NamedTuple

from .events import SEPARATOR
from .query import (
    COMPARISONS,
    DateMatch,
    Evaluator,
    GradeMatch,
    IsMatch,
    LayerMatch,
    Query,
    TextMatch,
    at_word_start,
)
from .text import WORD_MARK, search_form

if TYPE_CHECKING:
    from .sidecar import Layer

TABLE: Final = "events"
"""One row per event: `pos` (its place in timeline order), `id`, `earliest`, `latest`,
`known` (seconds, as the Timeline's arrays), a search column `s_<field>` per text field
(search_column), and the grades `g_corroboration`, `g_reliability` (A is 1 … F is 6)
and `g_credibility`, NULL where not graded."""
STEPS: Final = "status_steps"
"""The steps of status histories that set a status (DESIGN.md §7): `pos`, `seq` (its
place in the history), `known_by` and `s_status`, the status's search form."""
ESCAPE: Final = "\\"

PositionsOf = Callable[[Iterable[str]], Iterable[int]]
"""Where the events with these ids are (an id not in the timeline: nowhere)."""


class Sql(NamedTuple):
    where: str
    params: list[object]


def search_column(field: str) -> str:
    return f"s_{field}"


def grade_column(field: str) -> str:
    return f"g_{field}"


def compile_where(
    query: Query, positions_of: PositionsOf, layer: Layer | None = None, table: str = TABLE
) -> Sql:
    """The query as a condition on `table`'s rows. `positions_of` answers the analyst's
    terms (`is:starred`, `note:`), whose ids come from the notes file, not the table."""
    compiler = _Compiler(query.as_of, layer, positions_of, table)
    return Sql(compiler.node(query.root), compiler.params)


def like_pattern(needle: str, exact: bool = False) -> str:
    """What `LIKE` looks for, to match as TextMatch's regex does: a whole value between
    separators (`exact`), else the needle at a word start, else (a needle that starts
    with punctuation, or in a script written without spaces) anywhere."""
    if exact:
        form = search_form(SEPARATOR + needle + SEPARATOR)
    else:
        form = search_form(needle)
        if not at_word_start(needle):
            form = form.removeprefix(WORD_MARK)
    escaped = form.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


class _Compiler(Evaluator[str]):
    def __init__(
        self, as_of: int | None, layer: Layer | None, positions_of: PositionsOf, table: str
    ) -> None:
        self.as_of = as_of
        self.layer = layer
        self.positions_of = positions_of
        self.table = table
        self.params: list[object] = []

    def bind(self, value: object) -> str:
        self.params.append(value)
        return "?"

    def everything(self) -> str:
        return "TRUE"

    def all_of(self, parts: list[str]) -> str:
        return "(" + " AND ".join(parts) + ")"

    def any_of(self, parts: list[str]) -> str:
        return "(" + " OR ".join(parts) + ")"

    def negated(self, part: str) -> str:
        return f"(NOT {part})"

    def text_match(self, node: TextMatch) -> str:
        column = self.text_column(node.column)
        tests = [
            f"{column} LIKE {self.bind(like_pattern(needle, node.exact))} ESCAPE '{ESCAPE}'"
            for needle in node.needles
        ]
        return "(" + " OR ".join(tests) + ")"

    def text_column(self, field: str) -> str:
        own = f"{self.table}.{search_column(field)}"
        if field != "status" or self.as_of is None:
            return own
        # As known at the end of the asof: day: the last step known before then, else the
        # history's first, else the event's own status (provenance.status_on).
        day_end = self.bind(self.as_of)
        return (
            f"COALESCE((SELECT h.s_status FROM {STEPS} h WHERE h.pos = {self.table}.pos"
            f" AND h.known_by < {day_end} ORDER BY h.known_by DESC, h.seq DESC LIMIT 1),"
            f" (SELECT h.s_status FROM {STEPS} h WHERE h.pos = {self.table}.pos"
            f" ORDER BY h.known_by, h.seq LIMIT 1), {own})"
        )

    def date_match(self, node: DateMatch) -> str:
        if node.op == "after":
            return f"({self.table}.earliest > {self.bind(node.latest)})"
        if node.op == "before":
            return f"({self.table}.latest < {self.bind(node.earliest)})"
        if node.op == "asof":
            return f"({self.table}.known <= {self.bind(node.latest)})"
        low, high = self.bind(node.latest), self.bind(node.earliest)
        return f"({self.table}.earliest <= {low} AND {self.table}.latest >= {high})"

    def grade_match(self, node: GradeMatch) -> str:
        if node.op not in COMPARISONS:
            raise ValueError(f"no comparison {node.op!r}")
        column = f"{self.table}.{grade_column(node.column)}"
        return f"COALESCE({column} {node.op} {self.bind(node.value)}, FALSE)"

    def layer_match(self, node: LayerMatch | IsMatch) -> str:
        return "FALSE" if self.layer is None else self.positions(node.ids(self.layer))

    def positions(self, ids: Iterable[str]) -> str:
        """The events with these ids, by position: a handful from the notes file."""
        found = sorted(set(self.positions_of(ids)))
        if not found:
            return "FALSE"
        return f"({self.table}.pos IN ({', '.join(self.bind(p) for p in found)}))"
