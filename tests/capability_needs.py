"""What a scenario needs, derived from its steps: the tags the shipped scenarios must carry.

The shipped scenarios are tagged by hand (`@recurring`, `tags: [refund]`); this derivation checks the
tags against what each scenario's steps actually do, so a new scenario cannot go untagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pytest_bdd.parser import Feature, FeatureParser, Scenario

from harness.capabilities import CAPABILITIES
from harness.scenario.faults import parse_operation
from harness.vocabulary import load_vocabulary
from harness.vocabulary.declarations import Declaration
from harness.vocabulary.phrases import read_options
from harness.yaml.files import load_scenario_file

STEP_NEEDS: Mapping[str, str] = {
    "merchant_charges": "charge",
    "merchant_refunds": "refund",
    "merchant_cancels": "cancel",
    "merchant_closes": "close",
    "merchant_reconciles": "reconcile",
    "buyer_updates_payment_method": "payment-method",
    "amazon_invalidates_payment_method": "payment-method",
    "amazon_expires_payment_method": "payment-method",
    "amazon_closes_for_fraud": "fraud",
    "amazon_declines_next_authorization": "decline",
    "amazon_declines_pending": "pending",
    "amazon_resolves_pending": "pending",
    "operator_captures": "operator",
    "operator_refunds": "operator",
    "operator_cancels": "operator",
    "operator_closes": "operator",
    "seller_central_refuses": "operator",
    "reference_ids_are_charges": "recurring",
    "amazon_pay_times_out": "retry",
    "amazon_pay_answers_error": "retry",
    "amazon_pay_throttles": "retry",
    "connection_drops": "retry",
    "merchant_downloads_settlement_report": "reports",
    "notification_received": "notifications",
    "notifications_received": "notifications",
    "notifications_answered": "notifications",
    "buyer_clicks_button": "button",
}
"""The capability a step needs, by its step function."""

OPTION_NEEDS: Mapping[str, str] = {
    "recurring": "recurring",
    "allow_overcharge": "overcharge",
    "total_order_amount": "total-order-amount",
    "extend_expiration": "extend-expiration",
    "can_handle_pending_authorization": "pending",
}
"""The capability a checkout option (or the Recurring row of a charge) needs."""


def step_needs(declaration: Declaration, values: Mapping[str, object]) -> set[str]:
    """What one step needs, given its read values (checkout options by their field); counting the
    shop's own Create Checkout Session calls needs the session flow."""
    needs = {STEP_NEEDS[declaration.name]} if declaration.name in STEP_NEEDS else set()
    operation = values.get("operation")
    if declaration.name == "api_calls" and parse_operation(str(operation)) == "createCheckoutSession":
        needs.add("create-checkout")
    needs |= {need for field, need in OPTION_NEEDS.items() if values.get(field)}
    if values.get("charge_number"):
        needs.add("recurring")
    return needs


def _rendered(feature: Feature) -> Iterator[tuple[str, Scenario, set[str]]]:
    for template in feature.scenarios.values():
        tags = set(template.tags) | set(feature.tags) | (set(template.rule.tags) if template.rule else set())
        cases = [(context, tags | set(examples.tags or ())) for examples in template.examples
                 for context in examples.as_contexts()]
        for context, case_tags in cases or [({}, tags)]:
            yield template.name, template.render(context), case_tags


def feature_needs(path: Path) -> Iterator[tuple[str, set[str], set[str]]]:
    """Every rendered scenario of a feature file: its template's name, its tags and what its steps need."""
    vocabulary = load_vocabulary()
    for name, scenario, tags in _rendered(FeatureParser(str(path.parent), path.name).parse()):
        needs: set[str] = set()
        for step in scenario.steps:
            for declaration in vocabulary:
                for phrasing in declaration.phrasings:
                    for language in ("en", "ja"):
                        match = phrasing.template(language).match(step.name)
                        if match is not None and step.type in declaration.keywords:
                            values: dict[str, object] = dict(match)
                            values.update(read_options(match.get("options") or ""))
                            needs |= step_needs(declaration, values)
        yield name, tags, needs


def yaml_needs(path: Path) -> Iterator[tuple[str, set[str], set[str]]]:
    """Every scenario (and parameter row) of a YAML file: its document's line, its tags and what its
    steps need."""
    for scenario in load_scenario_file(path).scenarios:
        needs: set[str] = set()
        for step in scenario.steps:
            needs |= step_needs(step.action.declaration, {**step.action.fixed, **step.values})
        yield f"line {scenario.position.line}", set(scenario.tags), needs


def capability_tags(tags: Iterable[str]) -> set[str]:
    """The tags that are capabilities."""
    known = {capability.tag for capability in CAPABILITIES}
    return {tag for tag in tags if tag in known}
