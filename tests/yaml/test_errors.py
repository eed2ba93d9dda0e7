"""Every mistake in a scenario names file:line:column, what was expected and, for a typo, the fix."""

from __future__ import annotations

import pytest

from tests.yaml.helpers import FILE, error_of

HEAD = "name: Buyer drops off\nsteps:\n"


@pytest.mark.parametrize(("steps", "expected"), [
    ("  - wiat: 24 hours\n", "3:5: unknown action 'wiat' — did you mean 'wait'?"),
    ("  - buyer: dorp off\n", "3:12: unknown buyer action 'dorp off' — did you mean 'drop off'?"),
    ("  - buyer: {pya: order A}\n", "3:13: unknown buyer action 'pya' — did you mean 'pay'?"),
    ("  - buyer: {pay: order A, crad: '1111'}\n", "3:27: unknown argument 'crad' of 'buyer: pay' — did you "
                                                 "mean 'card'?"),
    ("  - expect: {statsu: Open}\n", "3:14: unknown expect action 'statsu' — did you mean 'status'?"),
    ("  - expect: {status: Opne}\n", "3:22: expect: status: 'Opne' is not a Seller Central status; expected "
                                     "one of Open,"),
    ("  - buyer: {pay: order A, order: order B}\n", "3:27: the order is the value of the action itself: "
                                                    "write 'pay: the order'"),
    ("  - buyer: {checkout: order A}\n", "3:12: 'buyer: checkout' needs 'amount'"),
    ("  - expect: status\n", "3:13: 'expect: status' needs 'status'"),
    ("  - buyer: {checkout: order A, amount: 5,000 JPY}\n", "3:42: inside { } a comma separates entries, so "
                                                            "'5,000 JPY' was split in two: quote it "
                                                            "('5,000 JPY') or write 5000 JPY"),
    ("  - merchant: {refund: the order, amount: 1,000円}\n",
     "3:45: inside { } a comma separates entries, so '1,000円' was split in two: quote it ('1,000円') or "
     "write 1000円"),
    ("  - buyer: {checkout: order A, amount: 5000 YEN JPY}\n", "3:40: buyer: checkout, amount: cannot read "
                                                               "the amount '5000 YEN JPY'"),
    ("  - wait: 24 hourz\n", "3:11: wait: for: cannot read 'z' in the duration '24 hourz'"),
    ("  - expect: {status: Open, charge permission: Closed}\n", "3:28: one step takes one action, but this "
                                                               "one names 'status' and 'charge permission'"),
    ("  - expect: {charge: Authorized, reason: Expired, no reason: true}\n", "3:51: give either 'reason' "
                                                                             "or 'no reason', not both"),
    ("  - expect: {charge: Authorised}\n", "3:22: expect: charge: 'Authorised' is not a Charge state; "
                                           "expected one of"),
    ("  - merchant: reconcile now\n", "3:15: unknown merchant action 'reconcile now' — did you mean "
                                      "'reconcile'?"),
    ("  - merchant: {reconcile: order A}\n", "3:27: 'reconcile' takes no value"),
    ("  - buyer:\n", "3:5: 'buyer' needs an action"),
    ("  - {buyer: pay, wait: 1 hour}\n", "3:5: a step is one 'actor: action' pair"),
    ("  - expect: {refund: Refunded, order: order 1 2}\n", "3:39: expect: refund, order: cannot read the "
                                                           "order 'order 1 2'"),
    ("  - operator: {refund: order A, amount: 1 JPY, times: many}\n", "3:55: operator: refund, times: "
                                                                      "expected a whole number"),
    ("  - merchant: {start checkout: , amount: 1 JPY, recurring: yes}\n",
     "3:60: merchant: start checkout, recurring: expected true or false"),
])
def test_a_mistake_in_a_step(steps: str, expected: str) -> None:
    message = error_of(HEAD + steps)
    assert message.startswith(f"{FILE}:{expected}"), message


@pytest.mark.parametrize(("text", "expected"), [
    ("nmae: x\nsteps: [{wait: 1 hour}]\n", "1:1: unknown key 'nmae' — did you mean 'name'?"),
    ("name: x\nstep: [{wait: 1 hour}]\n", "2:1: unknown key 'step' — did you mean 'steps'?"),
    ("steps: [{wait: 1 hour}]\n", "1:1: the scenario has no 'name'"),
    ("name: x\n", "1:1: the scenario has no 'steps'"),
    ("name: x\nsteps: []\n", "2:8: 'steps' is empty"),
    ("name: x\ntags: [two words]\nsteps: [{wait: 1 hour}]\n", "2:8: a tag is one word without spaces"),
    ("name: x\nsteps: [{wait: 1 hour}]\n---\nname: x\nsteps: [{wait: 2 hours}]\n",
     "4:7: another scenario of this file (line 1) is already called 'x'"),
])
def test_a_mistake_in_the_scenario(text: str, expected: str) -> None:
    message = error_of(text)
    assert message.startswith(f"{FILE}:{expected}"), message


@pytest.mark.parametrize(("text", "expected"), [
    ("parameters: [{intent: Authorize}]\nsteps:\n  - buyer: {checkout: , amount: 1 JPY, intent: {intent}}\n",
     "3:48: quote the placeholder: write \"{intent}\""),
    ("parameters: [{intent: Authorize}]\nsteps:\n"
     "  - buyer: {checkout: , amount: 1 JPY, intent: '{intnet}'}\n",
     "3:48: unknown parameter {intnet} — did you mean 'intent'?"),
    ("steps:\n  - buyer: {checkout: , amount: 1 JPY, intent: '{intent}'}\n",
     "2:48: unknown parameter {intent} (the scenario has no 'parameters')"),
    ("parameters: [{intent: Authorize, card: '0701'}]\nsteps:\n  - buyer: {checkout: , amount: 1 JPY, "
     "intent: '{intent}'}\n", "1:40: parameter 'card' is not used"),
    ("parameters: [{a: 1 JPY}, {b: 2 JPY}]\nsteps:\n  - buyer: {checkout: , amount: '{a}'}\n",
     "1:26: row 2 of 'parameters' has other names than row 1 (missing a; not in row 1: b)"),
    ("parameters: [{a: 1 JPY}, {a: 2 YEN JPY}]\nsteps:\n  - buyer: {checkout: , amount: '{a}'}\n",
     "1:30: buyer: checkout, amount: cannot read the amount '2 YEN JPY'"),
    ("parameters: [{a: capture}, {a: captrue}]\nsteps:\n  - buyer: {checkout: , amount: 1 JPY}\n"
     "  - operator: '{a}'\n",
     "1:32: unknown operator action 'captrue' — did you mean 'capture'? (with parameter row 2)"),
    ("parameters: []\nsteps: [{wait: 1 hour}]\n", "1:13: 'parameters' is a list of rows"),
])
def test_a_mistake_with_parameters(text: str, expected: str) -> None:
    message = error_of("name: x\n" + text)
    expected_line, _, rest = expected.partition(":")
    assert message.startswith(f"{FILE}:{int(expected_line) + 1}:{rest}"), message


def test_a_value_from_a_parameter_row_names_the_row_and_the_step() -> None:
    message = error_of("name: x\nparameters: [{a: 1 JPY}, {a: 2 YEN JPY}]\nsteps:\n"
                       "  - buyer: {checkout: , amount: '{a}'}\n")
    assert message.endswith("(parameter row 2, used by the step at line 4)")
