"""The conversation's heat is the customer's: memory of the peak, relief from what the customer
says, time, and never the agent's reply (conversation_heat.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import Analyzer
from accord.analysis.conversation import summarise
from accord.analysis.conversation_heat import HALF_LIFE_HOURS, MEMORY, cooled, customer_heat

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OUTBURST = "This is the THIRD time I'm writing!!! Refund me now or I'm calling my lawyer."
CALM_FOLLOW_UP = "Ok. When will it be there?"
THANKS = "Thank you, the refund arrived. That solved it, much appreciated."
REPLIES = [
    "I'm so sorry. I have issued the refund; you will see it in 3 days.",
    "Thank you for your patience, we appreciate your business!",
    "Our records show you used it incorrectly. Read the manual.",
    "Hi",
]


def _hourly(n: int) -> list[datetime]:
    return [START + timedelta(hours=i) for i in range(n)]


def test_the_agents_reply_does_not_move_the_heat(analyzer: Analyzer) -> None:
    before = analyzer.analyze_batch([OUTBURST], ["customer"])
    for reply in REPLIES:
        after = [*before, analyzer.analyze(reply, "agent")]
        now = START + timedelta(hours=1)
        assert (
            customer_heat(after, _hourly(2), now).heat
            == customer_heat(before, _hourly(1), now).heat
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["customer", "agent"]),
            st.sampled_from([OUTBURST, CALM_FOLLOW_UP, THANKS, *REPLIES]),
        ),
        max_size=8,
    ),
    st.sampled_from(REPLIES),
)
def test_appending_an_agent_reply_never_lowers_the_heat(
    analyzer: Analyzer, turns: list[tuple[str, str]], reply: str
) -> None:
    results = analyzer.analyze_batch([t for _, t in turns], [r for r, _ in turns])  # type: ignore[misc]
    now = START + timedelta(hours=len(turns) + 1)
    with_reply = [*results, analyzer.analyze(reply, "agent")]
    assert (
        customer_heat(with_reply, _hourly(len(with_reply)), now).heat
        == customer_heat(results, _hourly(len(results)), now).heat
    )


def test_a_calm_follow_up_keeps_a_memory_of_the_outburst(analyzer: Analyzer) -> None:
    hot, calm = analyzer.analyze_batch([OUTBURST, CALM_FOLLOW_UP])
    heat = customer_heat([hot, calm]).heat
    assert calm.heat < heat <= hot.heat
    assert heat >= round(MEMORY * hot.heat, 1) - 0.1


def test_thanks_cool_feelings_but_not_a_threat_on_the_table(analyzer: Analyzer) -> None:
    hot, thanks = analyzer.analyze_batch([OUTBURST, THANKS])
    follow = analyzer.analyze(CALM_FOLLOW_UP)
    cooled_by_thanks = customer_heat([hot, thanks])
    assert cooled_by_thanks.heat < customer_heat([hot, follow]).heat
    assert cooled_by_thanks.relief == 1
    stakes = hot.heat_parts["signals"]
    assert stakes > 0 and cooled_by_thanks.heat >= round(MEMORY * stakes, 1) - 0.1


def test_a_hotter_customer_message_sets_the_heat(analyzer: Analyzer) -> None:
    calm, hot = analyzer.analyze_batch([CALM_FOLLOW_UP, OUTBURST])
    result = customer_heat([calm, hot])
    assert result.heat == hot.heat
    assert result.driver is not None and result.driver.index == 1


def test_time_halves_the_heat_every_half_life(analyzer: Analyzer) -> None:
    hot = analyzer.analyze(OUTBURST)
    later = START + timedelta(hours=HALF_LIFE_HOURS)
    result = customer_heat([hot], [START], later)
    assert result.base == hot.heat and result.decay == 0.5
    assert abs(result.heat - hot.heat / 2) <= 0.1
    assert cooled(result.base, START, later) == result.heat
    assert cooled(result.base, None, later) == result.base


def test_why_names_the_driving_message(analyzer: Analyzer) -> None:
    turns = [("customer", OUTBURST), ("agent", REPLIES[0]), ("customer", CALM_FOLLOW_UP)]
    summary = analyzer.analyze_conversation(turns)
    why = summary.to_dict()["heat_why"]
    assert why["driver"]["index"] == 0
    assert [r["index"] for r in why["reasons"]] == [0, 2]
    assert summary.heat == why["heat"] == why["driver"]["contribution"]


def test_only_agent_messages_mean_no_heat(analyzer: Analyzer) -> None:
    summary = summarise(analyzer.analyze_batch(REPLIES, "agent"))
    assert summary.heat == 0.0 and summary.peak_heat == 0.0
