"""The transition table the coverage diagrams are drawn from: complete over causes and states."""

from __future__ import annotations

from harness.amazon_pay.causes import Cause
from harness.amazon_pay.transitions import OBJECT_STATES, TRANSITIONS


def test_every_cause_is_a_transition() -> None:
    assert {transition.cause for transition in TRANSITIONS} == set(Cause)


def test_every_edge_joins_states_of_its_object() -> None:
    for transition in TRANSITIONS:
        states = OBJECT_STATES[transition.object_type]
        assert transition.to_state in states, transition
        assert transition.from_state is None or transition.from_state in states, transition


def test_every_state_is_reached() -> None:
    reached = {(transition.object_type, transition.to_state) for transition in TRANSITIONS}
    assert reached == {(kind, state) for kind, states in OBJECT_STATES.items() for state in states}


def test_no_edge_is_listed_twice() -> None:
    assert len(set(TRANSITIONS)) == len(TRANSITIONS)
