"""Hypothesis strategies for dates: every precision, BCE years, intervals, open ends."""

from hypothesis import strategies as st

from tui.model.dates import (
    DatePoint,
    Precision,
    When,
    days_in_month,
)


@st.composite
def points(draw: st.DrawFn) -> DatePoint:
    year = draw(st.integers(-9999, 9999))
    precision = draw(st.sampled_from(list(Precision)))
    month = draw(st.integers(1, 12)) if precision >= Precision.MONTH else None
    day = (
        draw(st.integers(1, days_in_month(year, month)))
        if month and precision >= Precision.DAY
        else None
    )
    hour = minute = second = tz = None
    if precision >= Precision.MINUTE:
        hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
        tz = draw(st.none() | st.integers(-14 * 60, 14 * 60))
    if precision == Precision.SECOND:
        second = draw(st.integers(0, 59))
    return DatePoint(
        year,
        month,
        day,
        hour,
        minute,
        second,
        tz,
        approximate=draw(st.booleans()),
        uncertain=draw(st.booleans()),
    )


@st.composite
def whens(draw: st.DrawFn) -> When:
    shape = draw(st.sampled_from(["point", "interval", "inside"]))
    if shape == "point":
        return When.of(draw(points()))
    if shape == "inside":  # an end that holds the start, or a start that holds the end
        outer = draw(points().filter(lambda p: p.precision <= Precision.MONTH))
        inner = DatePoint(
            outer.year,
            outer.month or draw(st.integers(1, 12)),
            draw(st.integers(1, days_in_month(outer.year, outer.month or 1))),
            approximate=draw(st.booleans()),
        )
        if outer.month is None and inner.day > days_in_month(outer.year, inner.month or 1):
            inner = DatePoint(outer.year, inner.month, 1)
        return When(inner, outer, True) if draw(st.booleans()) else When(outer, inner, True)
    start = draw(st.none() | points())
    end = draw(points()) if start is None else draw(st.none() | points())
    if start is not None and end is not None and end.latest < start.earliest:
        start, end = end, start
    return When(start, end, True)
