"""State-machine coverage and step usage of a run, from the scenario records.

For each object (Checkout Session, Charge Permission, Charge, Refund) every transition of
`harness.amazon_pay.transitions.TRANSITIONS` with the scenarios that took it; a transition a run took
that the table lacks is listed apart (it would be a simulator change the table missed). The step
catalogue counts each vocabulary entry's uses and lists the undefined steps the run met.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.amazon_pay.transitions import OBJECT_STATES, TRANSITIONS, Transition
from harness.report.record import ScenarioRecord
from harness.vocabulary.declarations import Declaration, load_vocabulary

__all__ = ["catalogue", "coverage"]


@dataclass
class EdgeUse:
    """A transition and the scenarios (their indexes in the run) that took it."""

    object_type: str
    from_state: str | None
    to_state: str
    cause: str
    because: str
    declared: bool
    scenarios: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class MachineCoverage:
    """One object's state machine: its states and edges, declared ones first."""

    object_type: str
    states: tuple[str, ...]
    edges: list[EdgeUse]

    @property
    def taken(self) -> int:
        """How many declared edges some scenario took."""
        return sum(1 for edge in self.edges if edge.declared and edge.scenarios)

    @property
    def declared(self) -> int:
        """How many edges the table declares."""
        return sum(1 for edge in self.edges if edge.declared)


def coverage(records: Sequence[ScenarioRecord]) -> list[MachineCoverage]:
    """Every object's declared edges with the scenarios that took them, then any undeclared ones."""
    edges: dict[tuple[str, str | None, str], EdgeUse] = {
        _key(transition): EdgeUse(transition.object_type, transition.from_state, transition.to_state,
                                  transition.cause.name, str(transition.cause), declared=True)
        for transition in TRANSITIONS}
    for index, record in enumerate(records):
        for change in record["changes"]:
            key = (change["object_type"], change["from_state"], change["cause"])
            edge = edges.setdefault(key, EdgeUse(change["object_type"], change["from_state"],
                                                 change["to_state"], change["cause"], change["because"],
                                                 declared=False))
            if not edge.scenarios or edge.scenarios[-1] != index:
                edge.scenarios.append(index)
    return [MachineCoverage(object_type, states,
                            [edge for edge in edges.values() if edge.object_type == object_type])
            for object_type, states in OBJECT_STATES.items()]


def _key(transition: Transition) -> tuple[str, str | None, str]:
    return transition.object_type, transition.from_state, transition.cause.name


def declaration_id(declaration: Declaration) -> str:
    """`merchant: start checkout`: how the reports name a vocabulary entry."""
    return f"{declaration.actor}: {declaration.key}"


@dataclass(frozen=True)
class CatalogueEntry:
    """A vocabulary entry, its wording in both languages, and how often the run used it."""

    id: str
    keywords: str
    english: str
    japanese: str
    doc: str
    uses: int


@dataclass(frozen=True)
class UndefinedStep:
    """A step the run met that no vocabulary entry matches."""

    text: str
    where: str
    scenario: int


def catalogue(records: Sequence[ScenarioRecord]) -> tuple[list[CatalogueEntry], list[UndefinedStep]]:
    """Every vocabulary entry with its use count, and every undefined step of the run."""
    uses = Counter(step["declaration"] for record in records for step in record["steps"]
                   if step["declaration"] is not None)
    entries = []
    for declaration in load_vocabulary():
        phrasing = declaration.phrasings[0]
        identifier = declaration_id(declaration)
        entries.append(CatalogueEntry(identifier, "/".join(declaration.keywords),
                                      phrasing.template("en").text, phrasing.template("ja").text,
                                      declaration.doc, uses[identifier]))
    undefined = [UndefinedStep(f"{step['keyword']} {step['name']}".strip(),
                               f"{record['feature']['uri']}:{step['line']}", index)
                 for index, record in enumerate(records) for step in record["steps"]
                 if step["status"] == "undefined"]
    return entries, undefined
