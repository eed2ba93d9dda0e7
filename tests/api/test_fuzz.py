"""Property-based fuzzing of every route: signed requests with random and malformed bodies, path ids,
query strings and path forms get one of Amazon's documented errors with its status (or a success),
never a 500.

One simulator per test serves every example, so later requests meet the objects earlier ones made.
Examples are derandomized so that CI runs the same requests each time.
"""

from __future__ import annotations

import inspect
import itertools
import json
import re
from collections.abc import Callable
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.amazon_pay.errors import HTTP_STATUS
from harness.amazon_pay.states import PaymentIntent
from harness.api import json_in
from harness.api.http import HttpRequest, HttpResponse
from harness.api.keys import KeyPair, test_key_pair
from harness.api.operations import Operation
from harness.api.signer import sign_request
from harness.api.web_store import OPERATIONS
from harness.ids import Environment
from harness.money import Money
from harness.simulator import Simulator
from tests.api.wire_objects import completed_session, open_session

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
API = "https://pay-api.amazon.jp/v2"
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MODELLED = [operation for operation in OPERATIONS if operation.handler is not None]
KNOWN_FIELDS = sorted(set(re.findall(r'"([a-z][A-Za-z]+)"', inspect.getsource(json_in))))
"""Every field name the request readers know (read from their source, so it follows them)."""

ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.text(st.characters(categories=["Cs", "Co", "Cn", "Zl", "Zp", "Mn", "Nd", "No"]), max_size=10),
    st.sampled_from(["", " ", "0", "-1", "1e999", "NaN", "JPY", "Authorize", "Recurring", "Month",
                     "²", "٣", "\u202e", "\ufeff", "https://shop.example/r"]),
    st.sampled_from([400, 5000, 20_000]).map(lambda size: "9" * size),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10 ** 400), 10 ** 400),
                    st.floats(allow_nan=True, allow_infinity=True), ODD_TEXT)
KEYS = st.one_of(st.sampled_from(KNOWN_FIELDS), ODD_TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(KEYS, inner, max_size=6), max_leaves=30)
BODIES = st.one_of(
    st.just(b""),
    st.binary(max_size=60),
    st.dictionaries(KEYS, JSON, max_size=8).map(lambda value: json.dumps(value).encode()),
    JSON.map(lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    JSON.map(lambda value: json.dumps(value).encode()).flatmap(
        lambda text: st.integers(0, len(text)).map(lambda cut: text[:cut])),
)
QUERIES = st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=3).map(
    lambda query: urlencode({key.encode("utf-8", "surrogatepass"): value.encode("utf-8", "surrogatepass")
                             for key, value in query.items()}))


KINDS = ("checkoutSessions", "checkoutSessions", "chargePermissions", "charges", "refunds")
"""The path of each of `known_objects`' ids."""


def known_objects(sim: Simulator) -> list[str]:
    """Ids of an Open session, a Completed one, its permission and charge, and a refund of it."""
    session = completed_session(sim, 5000, intent=PaymentIntent.AUTHORIZE_WITH_CAPTURE)
    assert session.charge_id is not None and session.charge_permission_id is not None
    refund = sim.api.create_refund(session.charge_id, Money.of(100))
    return [open_session(sim).id, session.id, session.charge_permission_id, session.charge_id, refund.id]


def path_of(operation: Operation, draw: Callable[[st.SearchStrategy[str]], str], known: list[str]) -> str:
    """The operation's path with each placeholder a known id or random (percent-encoded) text."""
    def fill(match: re.Match[str]) -> str:
        return draw(st.sampled_from(known) | ODD_TEXT.map(
            lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")).filter(bool))
    return re.sub(r"\{\w+\}", fill, operation.path)


def send(sim: Simulator, method: str, path: str, query: str = "", *, body: bytes = b"",
         key: str | None = None, extra: dict[str, str] | None = None,
         via_httpx: bool = False, api: str = API, pair: KeyPair | None = None) -> HttpResponse:
    """A request to `api` signed like the SDKs sign it (with `pair`, else the simulator's key),
    idempotency key and `extra` headers included, answered by the handler directly or through
    `sim.mock()` and httpx."""
    url = f"{api}/{path}" + (f"?{query}" if query else "")
    to_sign = {**(extra or {}), **({"x-amz-pay-idempotency-key": key} if key is not None else {})}
    pair = pair or sim.key_pair
    headers = sign_request(method, url, public_key_id=pair.public_key_id, private_key=pair.private_key,
                           region="jp", now=sim.now(), body=body, headers=to_sign)
    if not via_httpx:
        return sim.handler.handle(HttpRequest(method, url, headers, body))
    answer = httpx.request(method, url, headers=headers, content=body)
    return HttpResponse(answer.status_code, list(answer.headers.items()), answer.content)


S3_ERRORS = {"AccessDenied": 403, "NoSuchKey": 404}
"""What a report document's url answers when refused: S3's XML errors (D-REPORT-DOCUMENT-URL)."""


def assert_documented(response: HttpResponse, request: str) -> None:
    """A success, or a documented reasonCode with the status Amazon gives it; never a 500."""
    assert response.status != 500, f"{request} -> {response.body[:500]!r}"
    if response.status >= 400 and response.headers.get("content-type") == "application/xml":
        found = re.search(r"<Code>(\w+)</Code>", response.body.decode("utf-8"))
        assert found is not None and S3_ERRORS.get(found.group(1)) == response.status, request
        return
    if response.status >= 400:
        code = json.loads(response.body)["reasonCode"]
        assert HTTP_STATUS.get(code) == response.status, f"{request} -> {response.status} {code}"


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
EXTRA_HEADERS = st.dictionaries(
    st.sampled_from(["x-amz-pay-simulation-code", "x-amz-pay-region", "content-type", "accept",
                     "x-amz-pay-sdk-version", "x-amz-pay-custom"]),
    HEADER_TEXT | st.sampled_from(["HardDeclined", "SoftDeclined", "AmazonClosed", "CaptureInitiated",
                                   "BuyerCanceled", "application/json", "us", "JP"]), max_size=3)


@st.composite
def requests(draw: st.DrawFn, known: list[str]) -> tuple[str, str, str, bytes, str | None, dict[str, str]]:
    operation = draw(st.sampled_from(MODELLED) | st.sampled_from(MODELLED) | st.sampled_from(OPERATIONS))
    key = draw(st.none() | st.from_regex(r"\A[A-Za-z0-9-]{1,40}\Z") | st.just("k" * 300) | HEADER_TEXT) \
        if operation.method == "POST" else None
    body = draw(BODIES) if operation.method != "GET" else draw(st.just(b"") | BODIES)
    return (operation.method, path_of(operation, draw, known), draw(st.just("") | QUERIES), body, key,
            draw(EXTRA_HEADERS))


@pytest.mark.parametrize("via_httpx", [False, True], ids=["handler", "httpx"])
def test_every_route_answers_random_signed_requests_with_documented_errors(via_httpx: bool) -> None:
    sim = Simulator(seed=12)
    known = known_objects(sim)

    @FUZZ
    @given(requests(known))
    def fuzz(request: tuple[str, str, str, bytes, str | None, dict[str, str]]) -> None:
        method, path, query, body, key, extra = request
        answer = send(sim, method, path, query, body=body, key=key, extra=extra, via_httpx=via_httpx)
        assert_documented(answer, f"{method} {path}?{query} {extra} {body[:200]!r}")

    with sim.mock(other_hosts="block"):
        fuzz()
    for kind, object_id in zip(KINDS, known, strict=True):  # every object is still readable after it all
        answer = send(sim, "GET", f"{kind}/{object_id}")
        assert answer.status == 200 and json.loads(answer.body), (kind, object_id, answer.body[:300])


PRICE = {"amount": "500", "currencyCode": "JPY"}
VALID_BODIES: dict[str, dict[str, object]] = {
    "createCheckoutSession": {
        "webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review"}, "storeId": "",
        "chargePermissionType": "Recurring",
        "recurringMetadata": {"frequency": {"unit": "Month", "value": "1"}, "amount": PRICE},
        "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": PRICE, "softDescriptor": "shop",
                           "canHandlePendingAuthorization": False, "allowOvercharge": True},
        "merchantMetadata": {"merchantReferenceId": "order-1", "merchantStoreName": "shop"}},
    "updateCheckoutSession": {
        "webCheckoutDetails": {"checkoutResultReturnUrl": "https://shop.example/result"},
        "paymentDetails": {"paymentIntent": "AuthorizeWithCapture", "chargeAmount": PRICE,
                           "totalOrderAmount": PRICE},
        "merchantMetadata": {"merchantReferenceId": "order-1", "noteToBuyer": "thanks"}},
    "completeCheckoutSession": {"chargeAmount": PRICE, "totalOrderAmount": PRICE},
    "finalizeCheckoutSession": {"chargeAmount": PRICE, "paymentIntent": "Authorize"},
    "updateChargePermission": {"merchantMetadata": {"merchantReferenceId": "order-2"}},
    "closeChargePermission": {"closureReason": "done", "cancelPendingCharges": True},
    "createCharge": {"chargePermissionId": "", "chargeAmount": PRICE, "captureNow": True,
                     "softDescriptor": "shop", "canHandlePendingAuthorization": False},
    "captureCharge": {"captureAmount": PRICE, "softDescriptor": "shop"},
    "cancelCharge": {"cancellationReason": "changed mind"},
    "createRefund": {"chargeId": "", "refundAmount": {"amount": "1", "currencyCode": "JPY"},
                     "softDescriptor": "shop"},
}
"""A well-formed body of each modelled write; the fuzzer breaks a few of its fields at a time."""


def valid_bodies(sim: Simulator, known: list[str]) -> dict[str, dict[str, object]]:
    """`VALID_BODIES` naming the simulator's store and `known_objects`' permission and charge."""
    return {**VALID_BODIES, "createCheckoutSession": {**VALID_BODIES["createCheckoutSession"],
                                                      "storeId": sim.ids.store_id()},
            "createCharge": {**VALID_BODIES["createCharge"], "chargePermissionId": known[2]},
            "createRefund": {**VALID_BODIES["createRefund"], "chargeId": known[3]}}


def leaves(tree: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths of every field in `tree`, parents before children."""
    if not isinstance(tree, dict):
        return [path]
    return [path, *(found for key, value in tree.items() for found in leaves(value, (*path, key)))]


def broken(tree: dict[str, object], path: tuple[str, ...], value: object) -> dict[str, object]:
    """`tree` with the field at `path` replaced by `value` (None path: a stray field added)."""
    if not path:
        return tree
    head, *rest = path
    inner = tree.get(head)
    return {**tree, head: broken(inner, tuple(rest), value) if rest and isinstance(inner, dict) else value}


@st.composite
def typed_bodies(draw: st.DrawFn, template: dict[str, object]) -> bytes:
    """The valid body with 1 to 3 fields given any value of any type, or removed, or a stray field."""
    body = template
    for path in draw(st.lists(st.sampled_from(leaves(template)[1:]), min_size=1, max_size=3)):
        body = broken(body, path, draw(JSON))
    if draw(st.booleans()):
        body = {**body, draw(st.sampled_from(KNOWN_FIELDS)): draw(JSON)}
    return json.dumps(body).encode()


def test_known_fields_with_wrong_types_on_existing_objects_get_documented_errors() -> None:
    sim = Simulator(seed=21)
    known = known_objects(sim)
    by_kind = {"checkoutSessionId": known[:2], "chargePermissionId": [known[2]], "chargeId": [known[3]]}
    templates = valid_bodies(sim, known)
    writes = [operation for operation in OPERATIONS if operation.name in templates]
    keys = itertools.count()

    @FUZZ
    @given(st.sampled_from(writes), st.data())
    def fuzz(operation: Operation, data: st.DataObject) -> None:
        path = re.sub(r"\{(\w+)\}", lambda name: data.draw(st.sampled_from(by_kind[name[1]])), operation.path)
        body = data.draw(typed_bodies(templates[operation.name]))
        key = f"fuzz-{next(keys)}" if operation.method == "POST" else None
        assert_documented(send(sim, operation.method, path, body=body, key=key),
                          f"{operation.method} {path} {body[:300]!r}")

    fuzz()


PATH_FORMS: dict[str, Environment | None] = {"/sandbox/v2": Environment.SANDBOX,
                                              "/live/v2": Environment.LIVE, "/v2": None}
"""The path forms and the environment each names (None: the key id's prefix names it, §3)."""
WRONG_FORMS = ("/Sandbox/v2", "/SANDBOX/v2", "/LIVE/v2", "/sandbox/V2", "/V2", "/v2/sandbox",
               "/sandbox/live/v2", "/v1", "/sandboxv2")
"""Look-alikes: wrong case, order, version or separator."""
KEY_IDS: dict[str, tuple[Environment | None, Environment | None]] = {
    "SANDBOX-TESTKEY": (Environment.SANDBOX, Environment.SANDBOX),
    "sandbox-lower-case": (Environment.SANDBOX, Environment.SANDBOX),
    "SandboxNoHyphen": (Environment.SANDBOX, Environment.SANDBOX),
    "LIVE-TESTKEY": (Environment.LIVE, Environment.LIVE),
    "live_mixed": (Environment.LIVE, Environment.LIVE),
    "AHEXAMPLEKEY": (None, Environment.SANDBOX),
    "PLAINLIVEKEY": (None, Environment.LIVE),
    "SANDBOX-UNREGISTERED": (Environment.SANDBOX, None),
    "UNREGISTERED": (None, None),
}
"""Key ids, the environment their prefix names (any case, no hyphen needed:
docs/reference/official-sdks.md §2) and the one they are registered for (None: not registered)."""


def refusal(form: str, key_id: str, operation: Operation,
            sim_environment: Environment) -> tuple[int, str] | None:
    """What Amazon answers a request in `form` signed with `key_id` before looking at the request
    itself (D-WIRE-ROUTING, D-WIRE-AUTH; docs/reference/amazon-pay-v2.md §3, §4.2), or None."""
    implied, registered = KEY_IDS[key_id]
    if form not in PATH_FORMS:
        return 404, "ResourceNotFound"  # not /sandbox/v2, /live/v2 or /v2, in lower case
    environment = PATH_FORMS[form] or implied
    if environment is not sim_environment:  # bare /v2 with a key id lacking the prefix, or the other one
        return 404, "ResourceNotFound"
    if operation.handler is None:
        return 405, "RequestNotSupported"
    if registered is not environment:
        return 403, "InvalidRequestSignature"
    return None


@pytest.mark.filterwarnings("ignore::harness.api.handler.UnroutedRequestWarning")
@pytest.mark.parametrize("environment", list(Environment))
def test_every_path_form_and_key_id_gets_amazons_answer(environment: Environment) -> None:
    """Through the handler only: routing is the handler's, the mounts pass requests on (and through
    httpx each example costs four times as much)."""
    sim = Simulator(seed=31, environment=environment)
    for key_id, (_, registered) in KEY_IDS.items():
        if registered is not None and key_id != sim.key_pair.public_key_id:
            sim.keys.register_pair(test_key_pair(key_id), registered)
    known = known_objects(sim)
    templates = valid_bodies(sim, known)
    calls = [operation for operation in OPERATIONS if operation.download is None]
    keys = itertools.count()

    @FUZZ
    @given(st.sampled_from(calls), st.sampled_from(list(PATH_FORMS)) | st.sampled_from(WRONG_FORMS),
           st.sampled_from(list(KEY_IDS)), st.data())
    def fuzz(operation: Operation, form: str, key_id: str, data: st.DataObject) -> None:
        path = path_of(operation, data.draw, known)
        template = templates.get(operation.name)
        body = json.dumps(template).encode() if template is not None and data.draw(st.booleans()) \
            else data.draw(BODIES) if operation.method != "GET" else b""
        key = f"form-{next(keys)}" if operation.method == "POST" else None
        before = len(sim.ledger.events)
        answer = send(sim, operation.method, path, body=body, key=key, api=f"https://pay-api.amazon.jp{form}",
                      pair=test_key_pair(key_id))
        request = f"{operation.method} {form}/{path} as {key_id}: {answer.body[:300]!r}"
        assert_documented(answer, request)
        expected = refusal(form, key_id, operation, environment)
        if expected is not None:
            assert (answer.status, json.loads(answer.body)["reasonCode"]) == expected, request
            assert len(sim.ledger.events) == before, request
        elif operation.method == "GET" and path in {f"{kind}/{object_id}" for kind, object_id
                                                   in zip(KINDS, known, strict=True)}:
            assert answer.status == 200, request

    fuzz()
