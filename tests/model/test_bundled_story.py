"""The bundled story is honest: every quote is the article's own words, every
event has a status and a source, and the order is the one the facts give."""

from __future__ import annotations

import json

from tests.conftest import BUNDLED, ROOT
from tui.model.dates import Precision
from tui.model.events import Status, Timeline

ARTICLE = (ROOT / "seed" / "article.txt").read_text(encoding="utf-8")


def test_every_quote_occurs_in_the_article_word_for_word(story: Timeline) -> None:
    quotes = [(e.id, s.quote) for e in story for s in e.sources if s.ref == "article" and s.quote]
    assert len(quotes) >= 12
    for event_id, quote in quotes:
        assert quote in ARTICLE, f"{event_id}: {quote!r} is not in the article"


def test_every_event_the_article_tells_cites_it(story: Timeline) -> None:
    not_in_article = {"treaty"}
    for event in story:
        refs = {s.ref for s in event.sources}
        if event.id not in not_in_article:
            assert "article" in refs, event.id


def test_context_events_not_in_the_article_name_their_source(story: Timeline) -> None:
    treaty = story.get("treaty")
    assert treaty is not None and treaty.status == Status.CONTEXT
    [ref] = treaty.sources
    assert story.source_url(ref)


def test_the_story_is_in_order_with_honest_precision(story: Timeline) -> None:
    order = [e.id for e in story]
    assert order.index("invasion") < order.index("treaty") < order.index("troops-10k")
    assert order.index("troops-10k") < order.index("capture") < order.index("nis-confirms")
    troops = story.get("troops-10k")
    assert troops is not None and troops.date.precision == Precision.MONTH
    more = story.get("more-troops")
    assert more is not None and more.date.approximate and more.date.precision == Precision.MONTH
    capture = story.get("capture")
    assert capture is not None
    assert capture.date.to_text() == "2025-01-09"
    assert capture.reported is not None and capture.reported.to_text() == "2025-01-11"
    article = story.get("article")
    assert article is not None and article.date.approximate


def test_the_chain_capture_announce_confirm_offer_is_linked(story: Timeline) -> None:
    def targets(event_id: str) -> set[str]:
        event = story.get(event_id)
        assert event is not None
        return {link.target for link in story.links(event)}

    assert "announce" in targets("capture")
    assert "nis-confirms" in targets("announce")
    assert "exchange-offer" in targets("nis-confirms")


def test_disputes_are_recorded_not_hidden(story: Timeline) -> None:
    wishes = story.get("soldiers-wishes")
    assert wishes is not None and wishes.status == Status.DISPUTED
    casualties = story.get("casualties")
    assert casualties is not None and casualties.notes is not None
    assert "surpassed 3,000" in casualties.notes and "nearly 3,000" in casualties.notes.lower()


def test_every_event_has_status_and_who_claims_it_unless_context(story: Timeline) -> None:
    raw = json.loads(BUNDLED.read_text(encoding="utf-8"))
    assert all("status" in e for e in raw["events"])
    for event in story:
        if event.status != Status.CONTEXT:
            assert event.claimed_by, event.id


def test_events_with_a_single_place_have_coordinates(story: Timeline) -> None:
    for event in story:
        if event.place is not None and event.id != "villages":
            assert event.place.lat is not None and event.place.lon is not None, event.id
