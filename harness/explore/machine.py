"""The state machine: one rule per action of the vocabulary, the invariants after every step.

`machine_for(session)` builds a hypothesis `RuleBasedStateMachine` class whose rules are the YAML
actions of the buyer, the merchant, Amazon, the operator and time, derived from their declarations:
each rule's precondition is that some order fits the action (`conditions`), and its values are
drawn by each parameter's kind (`strategies`). Every example is a fresh simulator and a fresh
merchant from the session's factory; the steps taken are kept as `ExploreStep`s, exactly as the
printed scenario will say them. A broken invariant raises `DisagreementError` with those steps.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from harness.amazon_pay.ledger import StateChange
from harness.errors import HarnessError
from harness.explore.conditions import MAX_ORDERS, NEW_ORDER_ACTIONS, fits
from harness.explore.invariants import Disagreement, disagreements
from harness.explore.steps import ExploreStep
from harness.explore.strategies import value_strategy
from harness.merchant.adapter import MerchantAdapter
from harness.scenario.orders import ScenarioOrder
from harness.scenario.world import ScenarioError, ScenarioWorld
from harness.simulator import Simulator
from harness.vocabulary.declarations import Action, yaml_actions

__all__ = ["EXPLORED_ACTORS", "DisagreementError", "Progress", "explored_actions", "machine_for"]

EXPLORED_ACTORS = ("merchant", "buyer", "amazon", "operator", "wait")
"""Whose actions are explored (expectations are the invariants' business)."""

NOT_EXPLORED = frozenset({("wait", "start at")})
"""Actions left out: the start moment is fixed, so that every example begins the same way."""

ORDER_NAMES = ("A", "B", "C", "D")

MerchantSession = Callable[[Simulator], AbstractContextManager[MerchantAdapter]]
"""Serves one example's simulator to its merchant while the block runs, and gives that merchant."""


class DisagreementError(HarnessError, AssertionError):
    """An invariant broke (or the merchant raised); carries the steps that led there."""

    def __init__(self, steps: tuple[ExploreStep, ...], found: tuple[Disagreement, ...], explanation: str,
                 *, up_to_date: bool) -> None:
        super().__init__(explanation)
        self.steps = steps
        self.found = found
        self.explanation = explanation
        self.up_to_date = up_to_date


@dataclass
class Progress:
    """What a run has covered so far: examples, steps, distinct action pairs, failures."""

    examples: int = 0
    steps: int = 0
    pairs: set[tuple[str, str]] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    failures: int = 0
    listener: Callable[[Progress], None] | None = None
    """Called as each example starts (progress reports)."""
    on_failure: Callable[[DisagreementError], None] | None = None
    """Called with each failing example, shrinking's included."""
    transitions: dict[tuple[str, str | None, str], StateChange] = field(default_factory=dict)
    """Every kind of state change the simulator made, by (object type, from state, cause) as
    `harness.amazon_pay.transitions.TRANSITIONS` keys them, with the first change of that kind."""


def explored_actions() -> tuple[Action, ...]:
    """The YAML actions the machine has rules for: every action whose required values can be drawn."""
    chosen: list[Action] = []
    for candidate in yaml_actions():
        if candidate.actor not in EXPLORED_ACTORS or (candidate.actor, candidate.key) in NOT_EXPLORED:
            continue
        if all(value_strategy(argument) is not None or argument.parameter == "order"
               for argument in candidate.all_arguments if argument.required):
            chosen.append(candidate)
    return tuple(chosen)


@dataclass(frozen=True)
class Run:
    """What every example of one run shares: how it gets its merchant, and the run's progress."""

    session: MerchantSession
    progress: Progress


class ExploreMachine(RuleBasedStateMachine):
    """One example: a simulator, the merchant, and the steps taken on them."""

    run: ClassVar[Run]

    def __init__(self) -> None:
        super().__init__()
        self.simulator = Simulator()
        self.progress = self.run.progress
        self._serving = self.run.session(self.simulator)
        adapter = self._serving.__enter__()
        self.world = ScenarioWorld(self.simulator, adapter)
        self.steps: list[ExploreStep] = []
        self.reconciled = False
        self.progress.examples += 1
        if self.progress.listener is not None:
            self.progress.listener(self.progress)

    def teardown(self) -> None:
        """Stop serving this example's simulator."""
        self._serving.__exit__(None, None, None)

    # --- steps --------------------------------------------------------------------------------

    def candidates(self, chosen: Action) -> list[ScenarioOrder]:
        """The orders the action can act on now (for a new-order action: a new one can be started)."""
        orders = self.world.orders.all()
        return [order for order in orders if fits(chosen.actor, chosen.key, self.world, order)]

    def enabled(self, chosen: Action) -> bool:
        """Whether the action can be taken now."""
        if (chosen.actor, chosen.key) in NEW_ORDER_ACTIONS:
            return len(self.world.orders.all()) < MAX_ORDERS
        if not self.world.orders.all():
            return False
        takes_order = any(argument.parameter == "order" for argument in chosen.all_arguments)
        return not takes_order or bool(self.candidates(chosen))

    def take(self, chosen: Action, data: st.DataObject) -> None:
        """Draw the action's values, take it, and keep it if it happened."""
        values: dict[str, Any] = {}
        for argument in chosen.all_arguments:
            if argument.parameter == "order":
                values[argument.key] = f"order {self._order_for(chosen, data)}"
                continue
            strategy = value_strategy(argument)
            if strategy is not None:
                values[argument.key] = data.draw(strategy, label=argument.key)
        step = ExploreStep.of(chosen, values)
        refusals = len(self.world.refusals)
        try:
            step.run(self.world)
        except ScenarioError:
            return  # the step cannot happen now (the scenario would be wrong, not the merchant)
        except Exception as error:
            self.steps.append(step)
            self._fail((Disagreement("merchant raised", None, f"{type(error).__name__}: {error}"),),
                       up_to_date=False)
        if len(self.world.refusals) > refusals:  # Seller Central refused: nothing happened
            del self.world.refusals[refusals:]
            return
        self._note(step)
        self.reconciled = chosen.actor == "merchant" and chosen.key == "reconcile"

    def _order_for(self, chosen: Action, data: st.DataObject) -> str:
        if (chosen.actor, chosen.key) in NEW_ORDER_ACTIONS:
            return ORDER_NAMES[len(self.world.orders.all())]
        order = data.draw(st.sampled_from(self.candidates(chosen)), label="order")
        return order.key

    def _note(self, step: ExploreStep) -> None:
        if self.steps:
            self.progress.pairs.add((self.steps[-1].label, step.label))
        self.steps.append(step)
        self.progress.steps += 1
        self.progress.actions.add(step.label)
        for change in self.world.simulator.ledger.events:
            before = None if change.from_state is None else str(change.from_state)
            self.progress.transitions.setdefault((change.object_type, before, change.cause.name), change)

    # --- invariants ---------------------------------------------------------------------------

    @invariant()
    def merchant_agrees(self) -> None:
        """Every invariant of `harness.explore.invariants`; after a reconciliation, the up-to-date ones.

        The notifications the last step made Amazon send are delivered first, as the printed
        scenario's `Then` step delivers them before it checks (else a finding would not reproduce).
        """
        self.world.deliver_notifications()
        found = disagreements(self.world, up_to_date=self.reconciled)
        if found:
            self._fail(tuple(found), up_to_date=self.reconciled)

    def _fail(self, found: tuple[Disagreement, ...], *, up_to_date: bool) -> None:
        listed = "\n".join(f"  - {disagreement}" for disagreement in found)
        failure = DisagreementError(tuple(self.steps), found,
                                    self.world.explain(f"the merchant disagrees with Amazon:\n{listed}"),
                                    up_to_date=up_to_date)
        self.progress.failures += 1
        if self.progress.on_failure is not None:
            self.progress.on_failure(failure)
        raise failure


def _rule_for(chosen: Action) -> Callable[..., None]:
    @precondition(lambda machine: machine.enabled(chosen))
    @rule(data=st.data())
    def step(machine: ExploreMachine, data: st.DataObject) -> None:
        machine.take(chosen, data)

    step.__name__ = f"{chosen.actor}_{chosen.key}".replace(" ", "_")
    step.__doc__ = chosen.doc
    return step


def machine_for(session: MerchantSession, progress: Progress) -> type[ExploreMachine]:
    """The machine class for one run: a rule per explored action, examples served by `session`."""
    rules: dict[str, Any] = {"run": Run(session, progress)}
    for chosen in explored_actions():
        made = _rule_for(chosen)
        rules[made.__name__] = made
    return type("Explore", (ExploreMachine,), rules)
