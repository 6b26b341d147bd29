"""The filter language of DESIGN.md §2, shared by the app's filter bar and `timeline print`.

A query compiles to a predicate over event positions in a Timeline. Text
matching runs on the Timeline's folded per-field columns, built once, so a
query costs one substring test per event and term.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, overload

from .dates import MONTH_ABBR, DateError, DatePoint, When, days_in_month, parse_when
from .events import COLUMN_EXTRACTORS, SEPARATOR, STATUS_LABELS, Timeline
from .problems import ColumnError
from .provenance import status_on
from .text import fold, needle_pattern

if TYPE_CHECKING:
    from .sidecar import Layer

__all__ = ["Query", "QueryError", "parse_query"]

TEXT_FIELDS: Final = (
    "tag",
    "actor",
    "place",
    "status",
    "kind",
    "by",
    "source",
    "id",
    "title",
    "file",
)
DATE_FIELDS: Final = ("after", "before", "on", "in", "asof")
LAYER_FIELDS: Final = ("note", "label", "is")
"""The analyst's own layer (DESIGN.md §6), read from the sidecar, not the file."""
IS_VALUES: Final = ("starred", "noted", "new")
GRADE_FIELDS: Final = ("corroboration", "reliability", "credibility")
"""Provenance (DESIGN.md §7), compared: `corroboration:>=2`, `reliability:<=B`."""
COMPARISONS: Final[dict[str, Callable[[Any, Any], Any]]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq
}  # fmt: skip
"""What a grade term's operator does: to two numbers, or to a numpy array and a number."""
SEARCHED_COLUMNS: Final = tuple(name for name in COLUMN_EXTRACTORS if name not in GRADE_FIELDS)
"""The columns a query searches as text (the grades are compared as numbers)."""


def reads_analyst_layer(text: str) -> bool:
    """Whether a query may use the sidecar (its views, notes, stars, labels): `print`
    reads the sidecar only then."""
    return "@" in text or any(f"{name}:" in text.lower() for name in LAYER_FIELDS)


FIELDS: Final = TEXT_FIELDS + DATE_FIELDS + LAYER_FIELDS + GRADE_FIELDS
MAX_NESTING: Final = 64
"""How deep parentheses and negations may nest. Deeper is an error at the column
where the limit is passed (the parser and the compiled predicate recurse)."""

Predicate = Callable[[int], bool]
R = TypeVar("R")


class QueryError(ColumnError):
    """A query that can't be read; `column` is 1-based."""


class _ViewLoop(QueryError):
    """A view that uses itself: said at the outermost `@`, with the chain."""


class Token:
    """kind: word, phrase, field, view, lparen, rparen, or, and, not or minus."""

    __slots__ = ("column", "field", "kind", "quoted", "text", "value_column")

    def __init__(
        self,
        kind: str,
        text: str,
        column: int,
        field: str = "",
        value_column: int = 0,
        quoted: bool = False,
    ) -> None:
        self.kind = kind
        self.text = text
        self.column = column
        self.field = field
        self.value_column = value_column
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.column})"


_FIELD_TOKEN: Final = re.compile(r"([A-Za-z]+):")


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    n = len(source)
    while pos < n:
        char = source[pos]
        if char.isspace():
            pos += 1
            continue
        column = pos + 1
        if char == "(":
            tokens.append(Token("lparen", char, column))
            pos += 1
            continue
        if char == ")":
            tokens.append(Token("rparen", char, column))
            pos += 1
            continue
        if char == "-" and not _starts_date(source, pos):
            tokens.append(Token("minus", char, column))
            pos += 1
            continue
        if char == '"':
            text, pos = _quoted(source, pos)
            tokens.append(Token("phrase", text, column, quoted=True))
            continue
        if char == "@":
            end = _word_end(source, pos + 1)
            tokens.append(Token("view", source[pos + 1 : end], column))
            pos = end
            continue
        match = _FIELD_TOKEN.match(source, pos)
        if match:
            name = match.group(1).lower()
            value_pos = match.end()
            if value_pos < n and source[value_pos] == '"':
                value, pos = _quoted(source, value_pos)
                quoted = True
            else:
                end = _word_end(source, value_pos)
                value, pos, quoted = source[value_pos:end], end, False
            tokens.append(Token("field", value, column, name, value_pos + 1, quoted))
            continue
        end = _word_end(source, pos)
        word = source[pos:end]
        pos = end
        if word == "OR":
            tokens.append(Token("or", word, column))
        elif word == "AND":
            tokens.append(Token("and", word, column))
        elif word == "NOT":
            tokens.append(Token("not", word, column))
        else:
            tokens.append(Token("word", word, column))
    return tokens


def _starts_date(source: str, pos: int) -> bool:
    """`-0044-03-15..` is a BCE date range, not a negation."""
    return bool(re.match(r"-\d{4}(?:-\d\d)*[~?%]?\.\.", source[pos:]))


def _word_end(source: str, pos: int) -> int:
    end = pos
    while end < len(source) and not source[end].isspace() and source[end] not in '()"':
        end += 1
    return end


def _quoted(source: str, start: int) -> tuple[str, int]:
    end = source.find('"', start + 1)
    if end < 0:
        raise QueryError("unclosed quote", start + 1)
    return source[start + 1 : end], end + 1


class Node:
    def compile(self, context: Context) -> Predicate:
        raise NotImplementedError


class Context:
    """What a compiled query reads. `keep_columns`: the app filters again and again,
    so it keeps each field's texts; a one-off filter (`timeline print`) makes each
    event's text when it tests it and keeps nothing. `layer`: the analyst's notes,
    stars and labels (none: those terms match nothing)."""

    __slots__ = ("as_of", "keep_columns", "layer", "timeline")

    def __init__(
        self,
        timeline: Timeline,
        keep_columns: bool = True,
        layer: Layer | None = None,
        as_of: int | None = None,
    ) -> None:
        self.timeline = timeline
        self.keep_columns = keep_columns
        self.layer = layer
        self.as_of = as_of
        """With `asof:`, the end of that day: `status:` reads the status known then."""

    def column(self, name: str) -> Sequence[str]:
        texts = self.timeline.texts(name, self.keep_columns)
        if name == "status" and self.as_of is not None:
            return _StatusesAsOf(texts, self.timeline, self.as_of)
        return texts


class _StatusesAsOf(Sequence[str]):
    """The status column as known at the end of a day: an event with a history reads
    it (DESIGN.md §7); the others' texts are the column's."""

    def __init__(self, texts: Sequence[str], timeline: Timeline, day_end: int) -> None:
        self.texts = texts
        self.events = timeline.events
        self.day_end = day_end

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        event = self.events[index]
        if not event.history:
            return self.texts[index]
        status = status_on(event, self.day_end)
        return SEPARATOR + STATUS_LABELS[status] + SEPARATOR


class Everything(Node):
    def compile(self, context: Context) -> Predicate:
        return lambda i: True


class And(Node):
    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def compile(self, context: Context) -> Predicate:
        predicates = [p.compile(context) for p in self.parts]
        return lambda i: all(p(i) for p in predicates)


class Or(Node):
    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def compile(self, context: Context) -> Predicate:
        predicates = [p.compile(context) for p in self.parts]
        return lambda i: any(p(i) for p in predicates)


class Not(Node):
    def __init__(self, part: Node) -> None:
        self.part = part

    def compile(self, context: Context) -> Predicate:
        predicate = self.part.compile(context)
        return lambda i: not predicate(i)


class TextMatch(Node):
    """Needles in a column, any of which may match, in any case and with any accents.

    A needle matches where a word starts (`nis` finds "South Korea NIS", not
    "Ministry"; `soldier` finds "soldiers"), except in scripts written without
    spaces, where any position counts. `exact` matches one whole value of a
    list field.
    """

    def __init__(self, column: str, needles: list[str], exact: bool = False) -> None:
        self.column = column
        self.needles = needles
        self.exact = exact

    def pattern(self) -> str:
        """One regex for all the needles."""
        sources = []
        for needle in self.needles:
            if self.exact:
                sources.append(f"{SEPARATOR}{needle_pattern(needle, whole=True)}{SEPARATOR}")
            else:
                sources.append(needle_pattern(needle, at_word_start(needle)))
        return "|".join(f"(?:{s})" for s in sources)

    def compile(self, context: Context) -> Predicate:
        texts = context.column(self.column)
        search = re.compile(self.pattern()).search
        return lambda i: search(texts[i]) is not None

    def found_in(self, context: Context, candidates: Sequence[int]) -> list[int]:
        """The candidates whose text matches, in their order: what the predicate says of
        each, sooner. A text of ASCII alone (English without accents, curly quotes or
        dashes) can match only if its lowercase holds a needle as folded, which `in` tests
        several times faster than the regex finds one at a word start in any case and
        accent: the regex reads those texts and the ones not of ASCII alone."""
        texts = context.column(self.column)
        search = re.compile(self.pattern()).search
        needles = [fold(needle) for needle in self.needles]
        one = needles[0]
        held: Callable[[str], bool] = (
            (lambda low: one in low)
            if len(needles) == 1
            else (lambda low: any(needle in low for needle in needles))
        )
        found: list[int] = []
        for start in range(0, len(candidates), _BATCH):
            batch = candidates[start : start + _BATCH]
            each = (
                texts[batch.start : batch.stop]
                if isinstance(batch, range) and batch.step == 1
                else [texts[i] for i in batch]
            )
            found += [
                position
                for position, text in zip(batch, each, strict=True)
                if (not text.isascii() or held(text.lower())) and search(text) is not None
            ]
        return found


_BATCH: Final = 4_096
"""Texts made at a time, where a one-off filter makes each as it tests it."""


class DateMatch(Node):
    """`after`/`before` are strict; `on`/`in` and ranges overlap; `asof` is by known date."""

    def __init__(self, op: str, earliest: int, latest: int) -> None:
        self.op = op
        self.earliest = earliest
        self.latest = latest

    def compile(self, context: Context) -> Predicate:
        timeline = context.timeline
        earliest, latest = timeline.earliests, timeline.latests
        lo, hi = self.earliest, self.latest
        if self.op == "after":
            return lambda i: earliest[i] > hi
        if self.op == "before":
            return lambda i: latest[i] < lo
        if self.op == "asof":
            known = timeline.known
            return lambda i: known[i] <= hi
        return lambda i: earliest[i] <= hi and latest[i] >= lo


class LayerMatch(TextMatch):
    """`note:` and `label:`: the analyst's texts, looked up by id. Only the annotated
    events are searched (a handful, against a million), and the predicate is a set."""

    def compile(self, context: Context) -> Predicate:
        layer = context.layer
        if layer is None:
            return lambda i: False
        return _positions_of(context.timeline, self.ids(layer))

    def ids(self, layer: Layer) -> set[str]:
        """The ids whose note (or labels) match: every evaluator asks the layer this."""
        if self.column == "note":
            texts: Mapping[str, str] = layer.notes
        else:
            texts = {i: SEPARATOR + SEPARATOR.join(v) + SEPARATOR for i, v in layer.labels.items()}
        search = re.compile(self.pattern()).search
        return {i for i, text in texts.items() if search(text)}


class IsMatch(Node):
    """`is:starred`, `is:noted`, `is:new`."""

    def __init__(self, value: str) -> None:
        self.value = value

    def compile(self, context: Context) -> Predicate:
        layer = context.layer
        if layer is None:
            return lambda i: False
        return _positions_of(context.timeline, self.ids(layer))

    def ids(self, layer: Layer) -> Collection[str]:
        return {"starred": layer.starred, "noted": layer.notes.keys(), "new": layer.new}[self.value]


class GradeMatch(Node):
    """An event's corroboration or best grade compared with a value. The column holds
    few distinct texts: each is compared once, then each event is a lookup."""

    def __init__(self, column: str, op: str, value: int) -> None:
        self.column = column
        self.op = op
        self.value = value

    def compile(self, context: Context) -> Predicate:
        texts = context.column(self.column)
        known: dict[str, bool] = {}

        def predicate(i: int) -> bool:
            text = texts[i]
            passes = known.get(text)
            if passes is None:
                passes = known[text] = self.passes(text)
            return passes

        return predicate

    def passes(self, text: str) -> bool:
        value = text.strip(SEPARATOR)
        if not value:
            return False  # not graded: no comparison holds
        number = int(value) if value.isdigit() else "ABCDEF".index(value) + 1
        passes: bool = COMPARISONS[self.op](number, self.value)
        return passes


def _positions_of(timeline: Timeline, ids: Iterable[str]) -> Predicate:
    return set(timeline.positions_of(ids).values()).__contains__


def at_word_start(needle: str) -> bool:
    """Whether a needle is found only where a word starts: it starts with a letter or
    digit of a script written with spaces (below U+2E80, where CJK begins)."""
    return needle[:1].isalnum() and ord(needle[0]) < 0x2E80


class Evaluator(Generic[R]):
    """A query's tree evaluated otherwise than as a predicate (as SQL, over the word
    index): the walk and the dispatch are here, a method per kind of term there."""

    def node(self, node: Node) -> R:
        if isinstance(node, Everything):
            return self.everything()
        if isinstance(node, And):
            return self.all_of([self.node(part) for part in node.parts])
        if isinstance(node, Or):
            return self.any_of([self.node(part) for part in node.parts])
        if isinstance(node, Not):
            return self.negated(self.node(node.part))
        if isinstance(node, LayerMatch | IsMatch):  # before TextMatch: a LayerMatch is one
            return self.layer_match(node)
        if isinstance(node, TextMatch):
            return self.text_match(node)
        if isinstance(node, DateMatch):
            return self.date_match(node)
        if isinstance(node, GradeMatch):
            return self.grade_match(node)
        raise TypeError(f"{type(self).__name__} has nothing for {type(node).__name__}")

    def everything(self) -> R:
        raise NotImplementedError

    def all_of(self, parts: list[R]) -> R:
        raise NotImplementedError

    def any_of(self, parts: list[R]) -> R:
        raise NotImplementedError

    def negated(self, part: R) -> R:
        raise NotImplementedError

    def layer_match(self, node: LayerMatch | IsMatch) -> R:
        raise NotImplementedError

    def text_match(self, node: TextMatch) -> R:
        raise NotImplementedError

    def date_match(self, node: DateMatch) -> R:
        raise NotImplementedError

    def grade_match(self, node: GradeMatch) -> R:
        raise NotImplementedError


def _word_starts(label: str) -> list[str]:
    """`not stated` → [`not stated`, `stated`]: where a field's word search may start."""
    return [label[i:] for i in range(len(label)) if i == 0 or label[i - 1] == " "]


OPEN_FIELDS: Final = ("tag", "kind", "actor", "place", "by")
"""Fields whose values are the file's own: a value no event has gets the nearest one."""


class Query:
    def __init__(
        self,
        source: str,
        root: Node,
        words: list[str],
        notes: list[str] | None = None,
        as_of: int | None = None,
    ) -> None:
        self.source = source
        self.root = root
        self.as_of = as_of
        """The end of an `asof:` term's day, if it has one."""
        self.words = words
        """Folded words and phrases a match should show highlighted."""
        self.notes = notes or []
        """What was assumed in reading it (the year of a date written without one)."""

    @property
    def is_empty(self) -> bool:
        return isinstance(self.root, Everything)

    def predicate(
        self, timeline: Timeline, keep_columns: bool = True, layer: Layer | None = None
    ) -> Predicate:
        return self.root.compile(Context(timeline, keep_columns, layer, self.as_of))

    def nearest_values(self, timeline: Timeline) -> list[str]:
        """For each term on an open field (`kind:statment`) that no event in the
        timeline matches: the nearest value that some event has. For a query that
        found nothing: it reads the field's column (the one the filter keeps), once
        per distinct text."""
        import difflib

        notes = []
        for node in _positive_terms(self.root):
            if node.column not in OPEN_FIELDS:
                continue
            texts = set(timeline.column(node.column))
            search = re.compile(node.pattern()).search
            if any(search(text) for text in texts):
                continue
            values: dict[str, str] = {}
            for text in texts:
                for value in text.split(SEPARATOR):
                    if value:
                        values.setdefault(fold(value), value)
            for needle in node.needles:
                near = difflib.get_close_matches(needle, list(values), n=1, cutoff=0.6)
                said = f'the nearest is "{values[near[0]]}"' if near else "no value is near it"
                notes.append(f'no event has {node.column} "{needle}"; {said}')
        return notes

    def filter(
        self,
        timeline: Timeline,
        within: Sequence[int] | None = None,
        keep_columns: bool = True,
        layer: Layer | None = None,
    ) -> list[int]:
        """Positions of the matching events, in timeline order."""
        if self.is_empty and within is None:
            return list(range(len(timeline)))
        context = Context(timeline, keep_columns, layer, self.as_of)
        candidates: Sequence[int] = range(len(timeline)) if within is None else within
        searched, rest = _searched_first(self.root)
        for term in searched:
            candidates = term.found_in(context, candidates)
        if rest is None:
            return list(candidates)
        predicate = rest.compile(context)
        return [i for i in candidates if predicate(i)]


def _searched_first(root: Node) -> tuple[list[TextMatch], Node | None]:
    """The text terms every match must pass (the root, or parts of an AND at the root),
    searched a batch at a time first; what is left (None: nothing) is the predicate's."""
    parts = root.parts if isinstance(root, And) else [root]
    searched = [p for p in parts if type(p) is TextMatch]  # not a LayerMatch: a set
    rest = [p for p in parts if type(p) is not TextMatch]
    return searched, None if not rest else rest[0] if len(rest) == 1 else And(rest)


def _positive_terms(node: Node) -> Iterable[TextMatch]:
    """The text terms that must match for an event to be found (none under a NOT)."""
    if isinstance(node, TextMatch):
        yield node
    elif isinstance(node, And | Or):
        for part in node.parts:
            yield from _positive_terms(part)


class _Parser:
    def __init__(
        self,
        source: str,
        tokens: list[Token],
        years: Years,
        views: Mapping[str, str],
        expanding: tuple[str, ...] = (),
        depth: int = 0,
    ) -> None:
        self.source = source
        self.tokens = tokens
        self.pos = 0
        self.years = years
        self.views = views
        self.expanding = expanding
        """The views whose queries this one is inside: one of them again is a loop."""
        self.words: list[str] = []
        self.depth = depth
        self.as_of: int | None = None

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return Everything()
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise QueryError("unmatched ')'", token.column)
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "rparen"):  # type: ignore[union-attr]
                raise QueryError("OR needs something after it", token.column)
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self) -> Node:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                self.take()
                if not parts:
                    raise QueryError("AND needs something before it", token.column)
                continue
            parts.append(self.unary())
        if not parts:
            token = self.peek()
            column = token.column if token else len(self.source) + 1
            raise QueryError("expected a search term", column)
        return parts[0] if len(parts) == 1 else And(parts)

    def unary(self) -> Node:
        token = self.take()
        if token.kind in ("not", "minus", "lparen"):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QueryError(
                    f"nested too deeply (more than {MAX_NESTING} levels of parentheses"
                    " and negations)",
                    token.column,
                )
            try:
                return self.nested(token)
            finally:
                self.depth -= 1
        if token.kind == "field":
            return self.field(token)
        if token.kind == "view":
            return self.view(token)
        if token.kind == "word" and ".." in token.text:
            return self.date_range(token)
        return self.text(token)

    def nested(self, token: Token) -> Node:
        """What follows a negation, or a parenthesised group."""
        if token.kind in ("not", "minus"):
            following = self.peek()
            if following is None or following.kind in ("or", "rparen", "and"):
                raise QueryError(f"{token.text} needs something after it", token.column)
            words_before = len(self.words)
            negated = Not(self.unary())
            del self.words[words_before:]  # what is excluded isn't shown as a match
            return negated
        if (following := self.peek()) is not None and following.kind == "rparen":
            raise QueryError("empty parentheses", token.column)
        node = self.or_expr()
        closing = self.peek()
        if closing is None or closing.kind != "rparen":
            raise QueryError("unclosed '('", token.column)
        self.take()
        return node

    def view(self, token: Token) -> Node:
        """`@name`: the saved view's query, in place. Its errors are said at the `@`."""
        name = token.text
        if not name:
            raise QueryError("@ needs the name of a saved view", token.column)
        query = self.views.get(name)
        if query is None:
            import difflib

            near = difflib.get_close_matches(name, list(self.views), n=1, cutoff=0.6)
            if near:
                hint = f'; did you mean "@{near[0]}"?'
            elif self.views:
                hint = f" (saved views: {', '.join('@' + v for v in sorted(self.views))})"
            else:
                hint = " (no views are saved for this file; s in the app saves one)"
            raise QueryError(f'unknown view "@{name}"{hint}', token.column)
        if name in self.expanding:
            chain = " → ".join(f"@{v}" for v in (*self.expanding, name))
            raise _ViewLoop(f'the view "@{name}" uses itself ({chain})', token.column)
        inner = _Parser(
            query,
            tokenize_or_raise(query, name, token.column),
            self.years,
            self.views,
            (*self.expanding, name),
            self.depth,
        )
        try:
            node = inner.parse()
        except _ViewLoop as exc:
            raise _ViewLoop(exc.message, token.column) from None
        except QueryError as exc:
            raise _in_view(name, query, exc, token.column) from None
        self.words.extend(inner.words)
        self.as_of = inner.as_of if inner.as_of is not None else self.as_of
        return node

    def text(self, token: Token) -> Node:
        needle = fold(token.text)
        if not needle:
            return Everything()
        self.words.append(needle)
        return TextMatch("text", [needle])

    def field(self, token: Token) -> Node:
        name = token.field
        if name not in FIELDS:
            import difflib

            near = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.6)
            hint = f'; did you mean "{near[0]}:"?' if near else f"; fields are {', '.join(FIELDS)}"
            raise QueryError(f'unknown field "{name}"{hint}', token.column)
        if not token.text:
            raise QueryError(f"{name}: needs a value", token.value_column)
        if name in DATE_FIELDS:
            when = self.date_value(token.text, token.value_column)
            if name == "asof":
                self.as_of = when.latest + 1
            return DateMatch(name, when.earliest, when.latest)
        if name == "is":
            return self.is_value(token)
        if name in GRADE_FIELDS:
            return self.grade(token)
        value = token.text
        exact = value.startswith("=") and not token.quoted
        if exact:
            value = value[1:]
        values = [value] if token.quoted else value.split(",")
        # A value that folds to nothing (a lone accent) searches for nothing: as `x:=`,
        # not as a match of every empty field (12 of the story's 13 for `source:=́`).
        needles = [needle for needle in (fold(v.strip()) for v in values) if needle]
        if not needles:
            raise QueryError(f"{name}: needs a value", token.value_column)
        if name == "status":
            self.check_statuses(needles, exact, token.value_column)
        if name == "title":
            self.words.extend(needles)
        if name in LAYER_FIELDS:
            return LayerMatch(name, needles, exact)
        return TextMatch(name, needles, exact)

    def grade(self, token: Token) -> Node:
        """`corroboration:>=2`, `reliability:<=B` (B or better), `credibility:1`."""
        name, text = token.field, token.text.strip()
        op = next((o for o in (">=", "<=", ">", "<", "=") if text.startswith(o)), "=")
        written = text[len(op) :] if text.startswith(op) else text
        if name == "reliability":
            if written.upper() not in tuple("ABCDEF") or not written:
                raise QueryError(
                    "reliability: takes a grade A to F (A best), as in reliability:<=B;"
                    f' found "{written}"',
                    token.value_column + len(text) - len(written),
                )
            return GradeMatch(name, op, "ABCDEF".index(written.upper()) + 1)
        low, high = (1, 6) if name == "credibility" else (0, 10_000)
        if not written.isdigit() or not low <= int(written) <= high:
            example = "credibility:<=2" if name == "credibility" else "corroboration:>=2"
            takes = "a grade 1 to 6 (1 best)" if name == "credibility" else "a number of sources"
            raise QueryError(
                f'{name}: takes {takes}, as in {example}; found "{written}"',
                token.value_column + len(text) - len(written),
            )
        return GradeMatch(name, op, int(written))

    def is_value(self, token: Token) -> Node:
        values = [fold(v.strip()) for v in token.text.split(",") if v.strip()]
        for value in values:
            if value not in IS_VALUES:
                import difflib

                near = difflib.get_close_matches(value, IS_VALUES, n=1, cutoff=0.5)
                hint = f'; did you mean "is:{near[0]}"?' if near else ""
                raise QueryError(
                    f'unknown "is:{value}"{hint} (is: takes {", ".join(IS_VALUES)})',
                    token.value_column,
                )
        if not values:
            raise QueryError("is: needs a value", token.value_column)
        nodes: list[Node] = [IsMatch(v) for v in values]
        return nodes[0] if len(nodes) == 1 else Or(nodes)

    def check_statuses(self, needles: list[str], exact: bool, column: int) -> None:
        """`status` has a closed set of values: one that no status starts with (or, with
        `=`, that is none of them) is an error, with the nearest."""
        labels = [fold(label) for label in STATUS_LABELS.values()]
        for needle in needles:
            if exact and needle in labels:
                continue
            starts = (w for label in labels for w in _word_starts(label))
            if not exact and any(rest.startswith(needle) for rest in starts):
                continue
            import difflib

            near = difflib.get_close_matches(needle, labels, n=1, cutoff=0.5)
            hint = f'; did you mean "{near[0]}"?' if near else ""
            raise QueryError(
                f'unknown status "{needle}"{hint} (statuses: {", ".join(labels)})', column
            )

    def date_range(self, token: Token) -> Node:
        left, _, right = token.text.partition("..")
        if not left and not right:
            raise QueryError("a date range needs at least one end", token.column)
        lo = self.date_value(left, token.column).earliest if left else -(2**62)
        hi = self.date_value(right, token.column + len(left) + 2).latest if right else 2**62
        if hi < lo:
            raise QueryError("the range ends before it starts", token.column + len(left) + 2)
        return DateMatch("range", lo, hi)

    def date_value(self, text: str, column: int) -> When:
        return parse_date_value(text, column, self.years)


_DEFAULT_A: Final = datetime(2000, 1, 1)
_DEFAULT_B: Final = datetime(2004, 2, 2)
"""Both defaults in leap years, so that "29 feb" is read (and its year then checked)."""


class Years:
    """How a date written without a year gets one: the only year in which the timeline
    has events on that day (or in that month), else its latest event's year. Each
    choice is noted, for the app and `print` to say which year was taken."""

    def __init__(self, reference: int | Timeline | None) -> None:
        self.timeline = reference if isinstance(reference, Timeline) else None
        self.latest: int | None = (
            reference.latest_year if isinstance(reference, Timeline) else reference
        )
        self.notes: list[str] = []

    def year_for(self, text: str, month: int, day: int | None) -> int:
        candidates = self.timeline.years_with(month, day) if self.timeline is not None else []
        shown = f"{day} {MONTH_ABBR[month - 1]}" if day is not None else MONTH_ABBR[month - 1]
        if len(candidates) == 1:
            year = candidates[0]
            self.notes.append(f'"{text}" read as {shown} {year}, the only year with events then')
            return year
        year = self.latest if self.latest is not None else datetime.now().year
        why = "the latest event's year"
        if candidates:
            others = ", ".join(str(y) for y in candidates if y != year)
            why += f"; write the year for {others}" if others else ""
        self.notes.append(f'"{text}" read as {shown} {year} ({why})')
        return year


def parse_date_value(text: str, column: int, reference: int | Timeline | Years | None) -> When:
    """A date as people write it in a query: EDTF first, then python-dateutil's reading.

    Precision comes from what was written: `jan 10` is a day, `oct-2024` a month.
    A missing year is chosen by Years (from the timeline, or the year given).
    """
    try:
        return parse_when(text)
    except DateError:
        years = reference if isinstance(reference, Years) else Years(reference)
        return _loose_date_value(text, column, years)


def _loose_date_value(text: str, column: int, years: Years) -> When:
    """Not EDTF: what python-dateutil reads in it."""
    from dateutil import parser as dateutil_parser

    try:
        a = dateutil_parser.parse(text, default=_DEFAULT_A)
        b = dateutil_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        raise QueryError(f'unknown date "{text}"', column) from None
    has_year = a.year == b.year
    has_month = a.month == b.month
    has_day = a.day == b.day
    has_time = (a.hour, a.minute) != (0, 0)
    if has_day and not has_month:
        raise QueryError(f'unknown date "{text}" (a day without a month)', column)
    if not has_year and not has_month:
        raise QueryError(f'unknown date "{text}"', column)
    month = a.month if has_month else None
    day_written = a.day if has_day else None
    year = a.year if has_year else years.year_for(text, a.month, day_written)
    day = a.day if has_day else None
    if day is not None and month is not None and day > days_in_month(year, month):
        raise QueryError(f'unknown date "{text}" (no such day in {year})', column)
    hour = a.hour if has_time and day is not None else None
    minute = a.minute if hour is not None else None
    return When.of(DatePoint(year, month, day, hour, minute))


def tokenize_or_raise(query: str, view: str, column: int) -> list[Token]:
    """A saved view's tokens; a view that does not tokenize is an error at its `@`."""
    try:
        return tokenize(query)
    except QueryError as exc:
        raise _in_view(view, query, exc, column) from None


def _in_view(view: str, query: str, error: QueryError, column: int) -> QueryError:
    return QueryError(
        f'in the view @{view}: {error.message} (column {error.column} of "{query}")', column
    )


def parse_query(
    source: str,
    reference: int | Timeline | None = None,
    views: Mapping[str, str] | None = None,
) -> Query:
    """Parse a filter; raises QueryError with the column of the first problem.
    `reference`: where a date written without a year takes one (see Years).
    `views`: the saved views `@name` can name."""
    years = Years(reference)
    parser = _Parser(source, tokenize(source), years, views or {})
    root = parser.parse()
    return Query(source, root, parser.words, years.notes, parser.as_of)


def highlight_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the query's words occur in `text`, as (start, end) pairs, merged.

    Folding can change a string's length (ß → ss), so positions are found on
    a character-by-character folding that keeps a map back to `text`.
    """
    if not words or not text:
        return []
    folded_chars: list[str] = []
    owners: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        folded_chars.append(folded)
        owners.extend([index] * len(folded))
    folded_text = "".join(folded_chars)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded_text.find(word)
        while start >= 0 and word:
            end = start + len(word)
            spans.append((owners[start], owners[end - 1] + 1))
            start = folded_text.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
