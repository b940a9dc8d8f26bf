"""What the coach knows about the situation: facts stay known for the whole thread."""

from __future__ import annotations

from accord.coach import build_context

OPENING = (
    "You have charged me TWICE for order NW-48213. $1,249.00 taken two times for ONE sofa, "
    "that's $2,498 gone from my bank account."
)


def test_an_order_reference_with_letters_and_a_dash_is_known() -> None:
    ctx = build_context([("customer", OPENING)])
    assert "order number" not in ctx.missing_facts
    assert ctx.facts["order"] == "order NW-48213"


def test_amounts_with_thousands_separators_are_read_whole() -> None:
    ctx = build_context([("customer", OPENING)])
    assert ctx.facts["amount"] == "$1,249.00"
    assert not any(p.startswith("$") and len(p) < 6 for p in ctx.key_points)


def test_facts_from_early_messages_are_not_asked_for_again() -> None:
    later = [("customer", "Any news?"), ("customer", "Still nothing."), ("customer", "Hello??")]
    ctx = build_context([("customer", OPENING), ("agent", "Checking now."), *later])
    assert "order number" not in ctx.missing_facts
    assert ctx.facts["order"] == "order NW-48213"


def test_stored_analyses_are_used_instead_of_analysing_again() -> None:
    from accord.analysis import load_analyzer

    stored = {OPENING: load_analyzer().analyze(OPENING)}

    class NoAnalysis:
        def analyze_batch(self, *_args: object) -> list[object]:
            raise AssertionError("a stored analysis was computed again")

    ctx = build_context([("customer", OPENING)], stored=stored, analyzer=NoAnalysis())  # type: ignore[arg-type]
    assert ctx.severity == stored[OPENING].severity
