"""Schemathesis against `harness serve`'s own ASGI app, from the OpenAPI documents it serves (issue 12).

Every operation of both documents gets schema-driven requests, valid and invalid (schemathesis's
positive and negative modes), in process (schemathesis's ASGI transport: nothing is sent over a
network). Each answer must be documented: its status listed for the operation, its content type and
body matching the schema, its `x-amz-pay-request-id` header present; an Amazon error's reasonCode must
carry the status §4.2 gives it, and no answer is a 5xx unless the request asked for one (the
`ProcessingFailure` simulation code, D-SIM-CREATE-CHARGE).

- signed: requests signed as the merchant signs them (`harness.api.signer.sign_request` with the key
  the server was started with), so generated bodies reach the domain; path ids are generated or the
  ids of objects in known states (an Open, an approved and a Completed session, a permission, an
  authorized and a captured charge, a refund, a report and a schedule);
- unsigned: the same requests with schemathesis's own Authorization header: only Amazon's header
  and authentication errors (or 405 for the operations the simulator does not model);
- control: the control API (`/_harness/...`) without signatures; an IPN url it is given is pointed at
  127.0.0.1 so no notification leaves the machine;
- stateful: signed sequences of calls along the document's links (`harness.server.openapi.links`:
  a created session's id to the calls on it, a completed one's permission and charge ids to theirs,
  a refund's charge, a report's document, ...), schemathesis's state machine on its own server,
  each sequence on a fresh simulator from an approved session, an authorized and a captured charge
  and a report or schedule; every answer is checked as in the signed pass, and the simulator's
  consistency after every step.

`HARNESS_SCHEMATHESIS_EXAMPLES` sets the examples per operation and pass, and the sequences of the
stateful pass (default 8: the module runs in well under 30 s of CPU), `HARNESS_SCHEMATHESIS_SEED`
draws other examples than the fixed ones; docs/performance.md, "Hostile input", has the long run.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, run_state_machine_as_test
from schemathesis import APIOperation, GenerationMode
from schemathesis import Case as AnyCase
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful.state_machine import APIStateMachine, StepOutput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from harness.amazon_pay.causes import API_PROJECTION
from harness.amazon_pay.errors import HTTP_STATUS
from harness.amazon_pay.limits import REFUND_OVER_CAPTURE_CAP, REFUND_OVER_CAPTURE_PERCENT
from harness.amazon_pay.reports import Report, ReportSchedule, ReportType
from harness.amazon_pay.states import PaymentIntent
from harness.amazon_pay.transitions import TRANSITIONS, Transition
from harness.api.handler import REQUIRED_HEADERS, SIMULATION_HEADER
from harness.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from harness.api.idempotency import KEY_PATTERN
from harness.api.keys import test_key_pair
from harness.api.signer import sign_request
from harness.api.web_store import OPERATIONS
from harness.ids import Environment
from harness.money import Money
from harness.seller_central import SellerCentral
from harness.server import PublicKey, ServeOptions
from harness.server.control import PREFIX
from harness.server.openapi import amazon_pay_document, control_document
from harness.server.runner import build
from harness.server.served import ServedSimulator, wall_clock
from harness.simulator import Simulator
from tests.api.wire_objects import approved_session, completed_session, open_session
from tests.server.conftest import START

EXAMPLES = int(os.environ.get("HARNESS_SCHEMATHESIS_EXAMPLES", "8"))
"""Examples per operation and pass."""
SEED = os.environ.get("HARNESS_SCHEMATHESIS_SEED")
"""Unset: the same examples on every run (derandomized); a number: other examples, reproducible by it."""

FUZZ = settings(max_examples=EXAMPLES, derandomize=SEED is None, database=None, deadline=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck))
KEY_ID = "SANDBOX-TESTKEY"
AMAZON_DOCUMENT = f"{PREFIX}/amazon-pay.openapi.json"
CONTROL_DOCUMENT = f"{PREFIX}/openapi.json"
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]
AUTH_ERRORS = {"MissingHeader", "MissingHeaderValue", "InvalidHeaderValue", "InvalidRequestSignature",
               "UnauthorizedAccess", "InvalidAuthentication"}
"""What an unsigned request may be answered with (§4.2, §5.2)."""
STEPS = 12
"""Calls per stateful sequence at most (schemathesis's default is 6)."""
SEQUENCES = 3 * EXAMPLES
"""Sequences of the stateful pass (each of a few calls: one operation's examples cost about as much)."""
STATEFUL = schemathesis.Config.from_dict({"phases": {"stateful": {"inference": {"algorithms": []}}}})
"""The stateful pass follows the document's own links only (none that schemathesis infers)."""
DECLARED = frozenset(TRANSITIONS)
Case = AnyCase[APIOperation[Any, Any, Any, Any]]
SIGNED_FROM_CASE = frozenset({IDEMPOTENCY_HEADER, SIMULATION_HEADER})
"""Headers of a generated request the signature covers as generated; the signer makes the others."""


def _operations(document: dict[str, Any]) -> list[Any]:
    """One test parameter per operation, named `METHOD path`."""
    return [pytest.param(path, method.upper(), id=f"{method.upper()} {path}")
            for path, item in document["paths"].items() for method in item]


class MerchantSignature(requests.auth.AuthBase):
    """Signs each prepared request as the merchant's SDK does, over its final method, URL and body.

    The generated idempotency key (every other well-formed one made unique, so that not every
    request replays or collides with an earlier one) and simulation code are signed as they are; the
    date, host and region are the signer's, and a required header the case left out (a negative
    case) stays out.
    """

    def __init__(self) -> None:
        self.signed = 0

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        sent = {name.lower(): value for name, value in request.headers.items()}
        extra = {name: value for name, value in sent.items() if name in SIGNED_FROM_CASE}
        self.signed += 1
        key = extra.get(IDEMPOTENCY_HEADER, "")
        if self.signed % 2 and re.fullmatch(KEY_PATTERN, key):  # every other one fresh: not a replay
            extra[IDEMPOTENCY_HEADER] = request.headers[IDEMPOTENCY_HEADER] = f"{key[:20]}-{self.signed}"
        assert request.method is not None and request.url is not None
        signed = sign_request(request.method, request.url, public_key_id=KEY_ID, region="jp",
                              private_key=test_key_pair().private_key, now=wall_clock(),
                              body=body if isinstance(body, bytes) else body.encode("utf-8"), headers=extra)
        for name in list(request.headers):
            if name.lower() in signed or name.lower() in REQUIRED_HEADERS:
                del request.headers[name]
        left_out = {name for name in REQUIRED_HEADERS if name not in sent}
        request.headers.update({name: value for name, value in signed.items() if name not in left_out})
        return request


@dataclass
class Target:
    """One `harness serve` app, the schema schemathesis loaded from it, and the ids of known objects."""

    served: ServedSimulator
    schema: Any
    known: dict[str, list[str]] = field(default_factory=dict)


def _report(sim: Simulator) -> Report:
    return sim.reports.request(ReportType.SANDBOX_SETTLEMENT, sim.now() - timedelta(days=7), sim.now())


def _schedule(sim: Simulator) -> ReportSchedule:
    return sim.reports.schedule(ReportType.SANDBOX_SETTLEMENT, "P1D", None)


def _known_objects(sim: Simulator) -> dict[str, list[str]]:
    """Objects in known states, by the path placeholder that names them."""
    authorized = completed_session(sim, 5000)
    captured = completed_session(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    assert authorized.charge_id and captured.charge_id and authorized.charge_permission_id
    refund = sim.api.create_refund(captured.charge_id, Money.of(100))
    report, schedule = _report(sim), _schedule(sim)
    return {"checkoutSessionId": [open_session(sim).id, approved_session(sim).id, authorized.id],
            "chargePermissionId": [authorized.charge_permission_id],
            "chargeId": [authorized.charge_id, captured.charge_id], "refundId": [refund.id],
            "reportId": [report.id], "reportDocumentId": [report.document_id],
            "reportScheduleId": [schedule.id]}


def _target(ca_dir: Path, document: str, config: schemathesis.Config | None = None) -> Iterator[Target]:
    """The server's app built as `harness serve` builds it (its socket is never served), and its schema."""
    key = PublicKey(KEY_ID, Environment.SANDBOX, test_key_pair().public_key_pem)
    built = build(ServeOptions(ca_dir=ca_dir, port=0, start=START, public_keys=[key]))
    try:
        app = built.server.config.app
        schema = schemathesis.openapi.from_asgi(document, app, config=config or schemathesis.Config())
        yield Target(built.served, schema)
    finally:
        built.sock.close()


@pytest.fixture(scope="module")
def amazon(ca_dir: Path) -> Iterator[Target]:
    """The Amazon Pay API's target, with objects in known states."""
    for target in _target(ca_dir, AMAZON_DOCUMENT):
        target.known = _known_objects(target.served.simulator)
        yield target


@pytest.fixture(scope="module")
def sequences(ca_dir: Path) -> Iterator[Target]:
    """The stateful pass's target (its own server: its invariants see only its sequences)."""
    yield from _target(ca_dir, AMAZON_DOCUMENT, STATEFUL)


@pytest.fixture(scope="module")
def control(ca_dir: Path) -> Iterator[Target]:
    """The control API's target (its own server: a control call may reset the simulator)."""
    yield from _target(ca_dir, CONTROL_DOCUMENT)


def _with_body_id(name: str, value: str, case: Case) -> Case:
    if isinstance(case.body, dict):
        case.body[name] = value
    return case


def _cases(target: Target, path: str, method: str) -> st.SearchStrategy[Case]:
    """Valid and invalid requests; also with the ids of known objects in the path and in the body."""
    operation = target.schema[path][method]
    strategies = [operation.as_strategy(generation_mode=mode)
                  for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
    for name in re.findall(r"\{(\w+)\}", path):
        strategies += [operation.as_strategy(path_parameters={name: known})
                       for known in target.known.get(name, [])]
    body = operation.definition.raw.get("requestBody", {}).get("content", {}).get("application/json", {})
    for name in body.get("schema", {}).get("properties", {}):
        strategies += [operation.as_strategy().map(partial(_with_body_id, name, known))
                       for known in target.known.get(name, [])]
    return st.one_of(strategies)


def _reason(response: schemathesis.Response) -> str | None:
    """The reasonCode of an Amazon error answer (None for other answers)."""
    if response.status_code < 400 or "json" not in response.headers.get("content-type", [""])[0]:
        return None
    return str(json.loads(response.content)["reasonCode"])


def _assert_documented_error(case: Case, response: schemathesis.Response) -> None:
    """§4.2: a reasonCode carries its status; a 5xx only when the request asked for it."""
    reason = _reason(response)
    if reason is not None:
        assert HTTP_STATUS.get(reason) == response.status_code, f"{reason} answered {response.status_code}"
    if response.status_code >= 500:
        asked = dict(case.headers or {}).get(SIMULATION_HEADER)
        assert reason == "ProcessingFailure" == asked, f"{case.operation.label}: {response.status_code}"


def _assert_invariants(sim: Simulator) -> None:
    """After a sequence of requests: every change is a declared transition shown as its cause projects,
    every object is in the state its last change left it, and Seller Central shows no order refunded
    beyond its capture and Amazon's allowance (§2.4)."""
    last: dict[str, str] = {}
    for change in sim.ledger.events:
        where = f"{change.object_type} {change.object_id} {change.from_state}->{change.to_state}"
        assert Transition(change.object_type, change.from_state, change.cause) in DECLARED, where
        assert (change.to_state, change.reason) == tuple(API_PROJECTION[change.cause]), where
        assert change.from_state == last.get(change.object_id), where
        last[change.object_id] = change.to_state
    ledger = sim.ledger
    for store in (ledger.checkout_sessions, ledger.charge_permissions, ledger.charges, ledger.refunds):
        for object_id, obj in store.items():
            assert last.get(object_id) == obj.state, f"{object_id} is {obj.state}, its log disagrees"
    for row in SellerCentral(sim).rows():
        allowance = min(row.captured.percent(REFUND_OVER_CAPTURE_PERCENT),
                        REFUND_OVER_CAPTURE_CAP.get(row.captured.currency, row.captured))
        assert row.refunded <= row.captured + allowance, f"{row.reference_id}: {row.refunded} refunded"


def _run(strategy: st.SearchStrategy[Case], check: Callable[[Case], None]) -> None:
    @FUZZ
    @given(strategy)
    def fuzz(case: Case) -> None:
        check(case)
    if SEED is not None:
        fuzz = seed(int(SEED))(fuzz)
    fuzz()


def _check_signed(case: Case, response: schemathesis.Response) -> None:
    """What every signed answer must be: documented (`CHECKS`), its error's status §4.2's."""
    case.validate_response(response, checks=CHECKS)
    _assert_documented_error(case, response)


@pytest.mark.parametrize(("path", "method"), _operations(amazon_pay_document()))
def test_signed_requests_get_documented_answers(amazon: Target, path: str, method: str) -> None:
    session = requests.Session()
    session.auth = MerchantSignature()

    def check(case: Case) -> None:
        _check_signed(case, case.call(session=session))

    _run(_cases(amazon, path, method), check)
    _assert_invariants(amazon.served.simulator)


def _sequences(target: Target, written: set[str]) -> type[APIStateMachine]:
    """schemathesis's state machine of the document's links, signed, checked after every step; the
    writes that succeeded are added to `written`."""
    served = target.served

    class Sequences(target.schema.as_state_machine()):  # type: ignore[misc]
        """Each sequence starts on a fresh simulator (as `POST /_harness/reset` makes it: a replayed
        sequence meets the same objects) from a session the buyer approved, an authorized and a
        captured charge and a report or a schedule, each read back so that their links lead to
        Complete (and from there to the permission and its charges), captures, refunds and report
        documents; schemathesis's roots create sessions, charges, refunds, reports and schedules of
        their own."""

        def setup(self) -> None:
            served.reset(0, START)
            self.session = requests.Session()
            self.session.auth = MerchantSignature()

        def _read(self, path: str, name: str, object_id: str) -> StepOutput:
            """A signed GET of a seeded object, checked and recorded as a step (its links follow)."""
            case = target.schema[path]["GET"].Case(path_parameters={name: object_id},
                                                   headers=dict.fromkeys(REQUIRED_HEADERS, "signed below"))
            self.recorder.record_case(case=case)
            response = case.call(session=self.session)
            self.after_call(response, case)
            self.validate_response(response, case)
            return StepOutput(response, case)

        @initialize(target=Bundle("seeded"))
        def approved(self) -> StepOutput:
            return self._read("/v2/checkoutSessions/{checkoutSessionId}", "checkoutSessionId",
                              approved_session(served.simulator, 5000).id)

        @initialize(target=Bundle("seeded"))
        def authorized(self) -> StepOutput:
            return self._charge(PaymentIntent.AUTHORIZE)

        @initialize(target=Bundle("seeded"))
        def captured(self) -> StepOutput:
            return self._charge(PaymentIntent.AUTHORIZE_WITH_CAPTURE)

        @initialize(target=Bundle("seeded"), report=st.booleans())
        def report_or_schedule(self, report: bool) -> StepOutput:
            """Generated report dates are rarely ones Create Report takes: a report or a schedule."""
            if report:
                return self._read("/v2/reports/{reportId}", "reportId", _report(served.simulator).id)
            return self._read("/v2/report-schedules/{reportScheduleId}", "reportScheduleId",
                              _schedule(served.simulator).id)

        def _charge(self, intent: PaymentIntent) -> StepOutput:
            charge_id = completed_session(served.simulator, 5000, intent=intent).charge_id
            assert charge_id is not None
            return self._read("/v2/charges/{chargeId}", "chargeId", charge_id)

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"session": self.session}

        def validate_response(self, response: schemathesis.Response, case: Case,
                              additional_checks: object = None, **kwargs: object) -> None:
            _check_signed(case, response)
            _assert_invariants(served.simulator)
            if case.method != "GET" and response.status_code < 300:
                written.add(case.operation.label)

    return Sequences


def test_signed_sequences_along_the_links_get_documented_answers(sequences: Target) -> None:
    written: set[str] = set()
    machine = _sequences(sequences, written)
    if SEED is not None:
        machine = seed(int(SEED))(machine)
    run_state_machine_as_test(machine, settings=settings(FUZZ, max_examples=SEQUENCES,
                                                         stateful_step_count=STEPS))
    assert written, "no sequence changed anything: the links lead nowhere"


@pytest.mark.parametrize(("path", "method"), _operations(amazon_pay_document()))
def test_unsigned_requests_get_amazons_authentication_errors(amazon: Target, path: str, method: str) -> None:
    operation = next(operation for operation in OPERATIONS
                     if (operation.method, f"/v2/{operation.path}") == (method, path))

    def check(case: Case) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        reason = _reason(response)
        if operation.download is not None:  # a pre-signed url: the file or S3's XML refusals
            assert response.status_code in (200, 403, 404)
        elif not operation.modelled:
            assert reason == "RequestNotSupported"
        else:
            assert reason in AUTH_ERRORS, f"{response.status_code} {reason}"

    _run(_cases(amazon, path, method), check)


def _local_ipn(case: Case) -> None:
    """An IPN url in a generated body points at a closed port of 127.0.0.1 (nothing leaves the machine)."""
    if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = "http://127.0.0.1:9/ipn"


@pytest.mark.parametrize(("path", "method"), _operations(control_document()))
def test_control_calls_get_documented_answers(control: Target, path: str, method: str) -> None:
    def check(case: Case) -> None:
        _local_ipn(case)
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error, *CHECKS])

    _run(_cases(control, path, method), check)
