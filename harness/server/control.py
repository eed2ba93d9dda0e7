"""The control API under `/_harness/`: the vocabulary's actions, the clock, faults and the views, as JSON.

A route per vocabulary action the server can serve (`harness.server.addressing`), derived from its
declaration: `POST /_harness/{actor}/{key}` with the key's spaces as hyphens
(`/_harness/amazon/decline-next-authorization`), the action's arguments as JSON fields under their
YAML keys, each read by the same reader as YAML (`harness.yaml.values.read_value`: `"5,000 JPY"`,
`"24 hours"`, `"0701"`), and the Amazon id the action is addressed by instead of the order. Beside
them: reset, the clock, the buyer's sign-in, faults, the transaction view and the timeline.

Every answer is JSON. A call that cannot be read answers 400 (404 unknown route, 405 wrong
method) with `{"error", "message"}` whose message says how to fix it; an action the simulator
refuses answers 409 `ActionRefused`, an unknown id 404 `ResourceNotFound`, a refusal by Seller
Central its reason code and status.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from harness.amazon_pay.errors import AmazonPayError, SimulationError
from harness.amazon_pay.reports import REPORT_RETENTION, ReportType
from harness.api.canonical import Algorithm
from harness.api.checkout_button import ButtonRefusedError
from harness.api.faults import FaultKind
from harness.api.handler import JSON_WHITESPACE
from harness.clock import ClockError
from harness.errors import HarnessError
from harness.notifications import Delivery
from harness.scenario.parsing import ScenarioValueError
from harness.seller_central import JST
from harness.server.addressing import ADDRESSED, SESSION, Address
from harness.server.served import ServedSimulator, wall_clock
from harness.vocabulary.declarations import Action, yaml_actions
from harness.vocabulary.values import ORDER
from harness.yaml.errors import Position
from harness.yaml.tree import Scalar
from harness.yaml.values import read_value, value_schema

__all__ = ["Route", "parse_moment", "routes"]

PREFIX = "/_harness"
Json = dict[str, Any]
Answer = dict[str, object]
Reader = Callable[[object], object]


class ControlError(HarnessError):
    """A control call that cannot be served: its HTTP status, error code and how to fix it."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


@dataclass(frozen=True)
class Field:
    """A JSON field of a control call: its schema and doc, and how its value is read."""

    name: str
    schema: Json
    doc: str
    required: bool
    read: Reader
    parameter: str
    """The name the read value is passed under."""


@dataclass(frozen=True)
class Route:
    """One control call."""

    method: str
    path: str
    summary: str
    run: Callable[[ServedSimulator, dict[str, object]], Answer]
    fields: tuple[Field, ...] = ()
    journaled: bool = False
    """Whether it changes the simulator and is journaled for `--state` (reset starts a new journal)."""
    response: str = "Done"
    """The OpenAPI component schema of its answer."""

    @property
    def operation_id(self) -> str:
        """A stable name for the OpenAPI document."""
        words = self.path.removeprefix(PREFIX + "/").replace("/", "-").replace(".", "-").split("-")
        return self.method.lower() + "".join(word.capitalize() for word in words if word)


# --- reading values -----------------------------------------------------------------------------

_WHERE = Position("control call")


def _scalar(value: object) -> Scalar:
    if isinstance(value, bool):
        return Scalar("true" if value else "false", value, _WHERE)
    if isinstance(value, str | int | float):
        return Scalar(str(value), value, _WHERE)
    raise ScenarioValueError(f"expected a single value, got {type(value).__name__}")


def _kind_reader(action: Action, key: str) -> Reader:
    kind = action.argument(key).kind
    return lambda value: read_value(kind, _scalar(value))


def _text(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioValueError("expected an id as a non-empty string")
    return value.strip()


def _text_as_is(value: object) -> object:
    """A string kept exactly as sent (a signed payload must not change by a byte)."""
    if not isinstance(value, str) or not value:
        raise ScenarioValueError("expected a non-empty string")
    return value


def _integer(value: object) -> object:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScenarioValueError("expected a whole number")
    return value


def _number(value: object) -> object:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ScenarioValueError("expected a number")
    return float(value)


def _flag(value: object) -> object:
    if not isinstance(value, bool):
        raise ScenarioValueError("expected true or false")
    return value


def parse_moment(value: object) -> datetime:
    """`now` (the wall clock) or an ISO-8601 moment with its offset (`2026-01-05T09:00:00+09:00`)."""
    if value == "now":
        return wall_clock()
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise ScenarioValueError(f"expected 'now' or an ISO-8601 moment with its offset, like "
                             f"2026-01-05T09:00:00+09:00 or 2026-01-05T00:00:00Z; got {value!r}")


def _id_field(name: str) -> Field:
    return Field(name, {"type": "string", "minLength": 1}, f"the {name} Amazon gave the shop", True,
                 _text, "id")


# --- the routes ---------------------------------------------------------------------------------


def _action_route(action: Action, address: Address) -> Route:
    fields = [] if address.id_field is None else [_id_field(address.id_field)]
    fields += [Field(argument.key, value_schema(argument.kind), argument.doc, argument.required,
                     _kind_reader(action, argument.key), argument.name)
               for argument in action.all_arguments if argument.kind is not ORDER]

    def run(served: ServedSimulator, values: dict[str, object]) -> Answer:
        object_id = str(values.pop("id", ""))
        on = f" {address.id_field} {object_id}" if address.id_field else ""
        served.timeline.note(action.actor, f"{action.key}{on} (control API)")
        return address.perform(served.simulator, object_id, values)

    path = f"{PREFIX}/{action.actor}/{action.key.replace(' ', '-')}"
    return Route("POST", path, f"{action.actor}: {action.key}. {action.doc}", run, tuple(fields), True)


def _reset(served: ServedSimulator, values: dict[str, object]) -> Answer:
    seed, start = values.get("seed"), values.get("start")
    assert seed is None or isinstance(seed, int)
    assert start is None or isinstance(start, datetime)
    served.reset(seed, start)
    return {"seed": served.seed}


def _clock(served: ServedSimulator, _: dict[str, object]) -> Answer:
    now = served.simulator.now()
    return {"now": now.isoformat(), "nowJst": now.astimezone(JST).isoformat(),
            "wallClock": served.merchant_clock().isoformat()}


def _go_to(served: ServedSimulator, values: dict[str, object]) -> Answer:
    target = values["to"]
    assert isinstance(target, datetime)
    served.timeline.note("time", f"goes to {target.isoformat()} (control API)")
    served.simulator.clock.advance_to(target)
    return {}


def _sign_in(served: ServedSimulator, values: dict[str, object]) -> Answer:
    served.simulator.buyer.sign_in(str(values["id"]))
    return {}


def _click_button(served: ServedSimulator, values: dict[str, object]) -> Answer:
    algorithm = values.get("algorithm")
    served.timeline.note("buyer", f"clicks Amazon Pay's button ({values['publicKeyId']}, control API)")
    try:
        click = served.simulator.button.click(str(values["payloadJSON"]), str(values["signature"]),
                                              str(values["publicKeyId"]),
                                              None if algorithm is None else str(algorithm))
    except ButtonRefusedError as error:  # D-BUTTON-ERROR: the button's error page
        raise ControlError(400, error.error_code, error.message) from None
    return {"checkoutSessionId": click.checkout_session_id, "redirectUrl": click.review_url}


def _transactions(served: ServedSimulator, _: dict[str, object]) -> Answer:
    return {"transactions": [
        {"referenceId": row.reference_id, "status": row.status.value,
         "chargePermissionId": row.charge_permission_id, "authorized": row.authorized.to_json(),
         "captured": row.captured.to_json(), "refunded": row.refunded.to_json(),
         "createdAt": row.created_at.isoformat(), "createdJst": row.created_jst,
         "buyer": row.buyer_name, "merchantReferenceId": row.merchant_reference_id}
        for row in served.simulator.seller_central.rows()]}


def _timeline(served: ServedSimulator, _: dict[str, object]) -> Answer:
    return {"entries": [{"at": entry.at.isoformat(), "atJst": entry.at.astimezone(JST).isoformat(),
                         "actor": entry.actor, "text": entry.text} for entry in served.timeline.read()],
            "text": served.timeline.render()}


def _faults(served: ServedSimulator, _: dict[str, object]) -> Answer:
    return {"faults": [{"operation": fault.operation, "kind": fault.kind.value, "times": fault.times,
                        "probability": fault.probability, "afterProcessing": fault.after_processing,
                        "fired": fault.fired} for fault in served.simulator.faults.faults]}


def _add_fault(served: ServedSimulator, values: dict[str, object]) -> Answer:
    operation, kind = str(values["operation"]), str(values["kind"])
    times, probability, after = values.get("times"), values.get("probability"), values.get("afterProcessing")
    assert times is None or isinstance(times, int)
    assert probability is None or isinstance(probability, float)
    try:
        served.simulator.faults.add(operation, kind, times=times, probability=probability,
                                    after_processing=bool(after))
    except ValueError as error:
        raise ControlError(400, "InvalidValue", f"{error}") from None
    hold = values.get("holdSeconds")
    if isinstance(hold, float):
        served.timeout_holds[operation] = hold
    return _faults(served, values)


def _clear_faults(served: ServedSimulator, values: dict[str, object]) -> Answer:
    served.simulator.faults.clear()
    served.timeout_holds.clear()
    return _faults(served, values)


def _notifications(served: ServedSimulator, _: dict[str, object]) -> Answer:
    notifications = served.simulator.notifications
    return {"ipnUrl": served.ipn_url, "endpointDown": notifications.endpoint_down,
            "duplicates": notifications.copies > 1, "outOfOrder": notifications.out_of_order,
            "signatureVersion": notifications.signature_version, "signingCertUrl": notifications.cert_url,
            "topicArn": notifications.topic_arn, "merchantId": notifications.merchant_id,
            "published": len(notifications.published),
            "deliveries": [_delivery(delivery) for delivery in notifications.deliveries]}


def _delivery(delivery: Delivery) -> Answer:
    message = delivery.notification.message
    return {"at": delivery.at.isoformat(), "objectType": message.object_type.value,
            "objectId": message.object_id, "chargePermissionId": message.charge_permission_id,
            "messageId": delivery.notification.message_id,
            "attempt": delivery.attempt, "status": delivery.status, "error": delivery.error,
            "duplicate": delivery.duplicate}


def _configure_notifications(served: ServedSimulator, values: dict[str, object]) -> Answer:
    notifications = served.simulator.notifications
    if "url" in values:
        served.ipn_url = str(values["url"]) or None
        served.attach_notifications()
    if "endpointDown" in values:
        notifications.endpoint_down = bool(values["endpointDown"])
    if "duplicates" in values:
        notifications.copies = 2 if values["duplicates"] else 1
    if "outOfOrder" in values:
        notifications.out_of_order = bool(values["outOfOrder"])
    if "signatureVersion" in values:
        notifications.signature_version = str(values["signatureVersion"])
    return _notifications(served, values)


def _ipn_url(value: object) -> object:
    if not isinstance(value, str) or (value and not value.startswith(("http://", "https://"))):
        raise ScenarioValueError("expected the shop's IPN URL (http:// or https://), or \"\" for none")
    return value


def _signature_version(value: object) -> object:
    if value not in ("1", "2"):
        raise ScenarioValueError("expected \"1\" (SHA1withRSA) or \"2\" (SHA256withRSA)")
    return value


def _notification_routes() -> list[Route]:
    flag: Json = {"type": "boolean"}
    return [
        Route("GET", f"{PREFIX}/notifications", "IPN: the endpoint, the injected faults and every delivery.",
              _notifications, response="Notifications"),
        Route("POST", f"{PREFIX}/notifications", "IPN: set the shop's endpoint or inject delivery faults.",
              _configure_notifications, (
                  Field("url", {"type": "string"}, "the shop's IPN URL (\"\": none)", False, _ipn_url, "url"),
                  Field("endpointDown", flag, "every delivery fails (and is retried hourly)", False, _flag,
                        "endpointDown"),
                  Field("duplicates", flag, "deliver every notification twice", False, _flag, "duplicates"),
                  Field("outOfOrder", flag, "deliver the notifications due at once newest first", False,
                        _flag, "outOfOrder"),
                  Field("signatureVersion", {"enum": ["1", "2"]},
                        "sign with SHA1withRSA (1) or SHA256withRSA (2)", False, _signature_version,
                        "signatureVersion")),
              response="Notifications"),
        Route("POST", f"{PREFIX}/notifications/deliver",
              "IPN: deliver what is due now (every control call does it too).", _notifications,
              response="Notifications"),
    ]


def _server_routes() -> list[Route]:
    moment_schema: Json = {"type": "string", "description": "'now' or an ISO-8601 moment with offset"}
    kinds = [kind.value for kind in FaultKind]
    return [
        Route("POST", f"{PREFIX}/reset", "A fresh simulator: no objects, no faults, the clock at `start`.",
              _reset, (Field("seed", {"type": "integer", "minimum": 0}, "the id seed (default: the same)",
                             False, _integer, "seed"),
                       Field("start", moment_schema, "where the clock starts (default: now)", False,
                             parse_moment, "start"))),
        Route("GET", f"{PREFIX}/clock", "The simulated clock, and the wall clock merchants sign with.",
              _clock, response="Clock"),
        Route("POST", f"{PREFIX}/clock", "Go forward to a moment; everything due meanwhile happens.",
              _go_to, (Field("to", moment_schema, "the moment to go to", True, parse_moment, "to"),), True),
        Route("POST", f"{PREFIX}/buyer/sign-in", "The buyer signs in on Amazon's page (pay does it too).",
              _sign_in, (_id_field(SESSION),), True),
        Route("POST", f"{PREFIX}/buyer/click-button",
              "The buyer clicks Amazon Pay's button rendered with this createCheckoutSessionConfig: Amazon "
              "checks the signature, creates the Checkout Session from the payload and the buyer signs "
              "in; the answer's redirectUrl is checkoutReviewReturnUrl?amazonCheckoutSessionId=…. A "
              "refused click answers 400 with the button page's Error Code as `error`.",
              _click_button, (
                  Field("payloadJSON", {"type": "string", "minLength": 1}, "the payload, as the page has it",
                        True, _text_as_is, "payloadJSON"),
                  Field("signature", {"type": "string", "minLength": 1}, "its signature (base64)", True,
                        _text, "signature"),
                  Field("publicKeyId", {"type": "string", "minLength": 1}, "the key id it was signed with",
                        True, _text, "publicKeyId"),
                  Field("algorithm", {"type": "string", "enum": [algorithm.value for algorithm in Algorithm]},
                        "the signature algorithm (absent: AMZN-PAY-RSASSA-PSS)", False, _text, "algorithm")),
              True),
        Route("GET", f"{PREFIX}/transactions", "Seller Central's transaction view.", _transactions,
              response="Transactions"),
        Route("GET", f"{PREFIX}/timeline", "Who did what, and every state change, in simulated time.",
              _timeline, response="Timeline"),
        Route("GET", f"{PREFIX}/faults", "The planned faults.", _faults, response="Faults"),
        Route("POST", f"{PREFIX}/faults", "Plan a fault of an operation (its SDK name, e.g. createCharge).",
              _add_fault, (
                  Field("operation", {"type": "string"}, "the operation's SDK name", True, _text,
                        "operation"),
                  Field("kind", {"type": "string", "enum": kinds}, "what the request gets", True,
                        _text, "kind"),
                  Field("times", {"type": "integer", "minimum": 1}, "how many requests (default 1)",
                        False, _integer, "times"),
                  Field("probability", {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                        "hit each request with this probability instead", False, _number, "probability"),
                  Field("afterProcessing", {"type": "boolean"}, "run the operation, lose only its answer",
                        False, _flag, "afterProcessing"),
                  Field("holdSeconds", {"type": "number", "minimum": 0},
                        "a timeout keeps the client waiting this long, then drops (default 30)",
                        False, _number, "holdSeconds")), True, "Faults"),
        Route("DELETE", f"{PREFIX}/faults", "Forget every planned fault.", _clear_faults, journaled=True,
              response="Faults"),
        *_report_routes(moment_schema),
    ]


# --- reports (issue 15) --------------------------------------------------------------------------

def _report_type(value: object) -> object:
    try:
        return ReportType(str(value))
    except ValueError:
        raise ScenarioValueError(f"expected a reportType, one of {', '.join(ReportType)}") from None


def _request_report(served: ServedSimulator, values: dict[str, object]) -> Answer:
    report_type, start, end = values["reportType"], values["startTime"], values["endTime"]
    assert isinstance(report_type, ReportType) and isinstance(start, datetime) and isinstance(end, datetime)
    with served.simulator.lock:
        report = served.simulator.reports.request(report_type, start, end)
    served.timeline.note("seller central", f"the operator requests report {report.id} ({report_type}, "
                                           f"{start.isoformat()} to {end.isoformat()})")
    return {"reportId": report.id}


def _reports(served: ServedSimulator, _: dict[str, object]) -> Answer:
    simulator = served.simulator
    with simulator.lock:  # listing creates the reports due meanwhile
        listed = simulator.reports.find(None, None, simulator.now() - REPORT_RETENTION, simulator.now())
        return {"reports": [{"reportId": report.id, "reportType": str(report.report_type),
                             "startTime": report.start.isoformat(), "endTime": report.end.isoformat(),
                             "createdAt": report.created_at.isoformat(),
                             "processingStatus": str(simulator.reports.status(report)), "rows": report.rows}
                            for report in listed]}


def _report_routes(moment_schema: Json) -> list[Route]:
    return [
        Route("POST", f"{PREFIX}/seller-central/reports",
              "The operator requests a report in Seller Central (Reports > Payments); the same checks as "
              "Create Report.", _request_report, (
                  Field("reportType", {"type": "string", "enum": [str(kind) for kind in ReportType]},
                        "the report type (Sandbox: the sandbox settlement report only)", True, _report_type,
                        "reportType"),
                  Field("startTime", moment_schema, "the start of the range it covers", True, parse_moment,
                        "startTime"),
                  Field("endTime", moment_schema, "the end of the range (not after the simulated clock)",
                        True, parse_moment, "endTime")), True),
        Route("GET", f"{PREFIX}/reports", "Every report kept (90 days), newest first, with its status.",
              _reports, response="Reports"),
    ]


@cache
def routes() -> tuple[Route, ...]:
    """Every control call: the vocabulary's actions first, in the vocabulary's order."""
    served = [_action_route(action, ADDRESSED[action.actor, action.key]) for action in yaml_actions()
              if (action.actor, action.key) in ADDRESSED]
    return (*served, *_server_routes(), *_notification_routes())


# --- answering ----------------------------------------------------------------------------------


def _read_fields(route: Route, body: bytes) -> tuple[dict[str, object], dict[str, object]]:
    """The values read from the body, by parameter, and the body as it is journaled."""
    if not body.strip(JSON_WHITESPACE):
        payload: object = {}
    else:
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise ControlError(400, "InvalidJson", f"the body is not JSON ({error}); send a JSON object "
                                                   f"like {_example(route)}") from None
    if not isinstance(payload, dict):
        raise ControlError(400, "InvalidJson", f"the body must be a JSON object like {_example(route)}")
    fields = {field.name: field for field in route.fields}
    values: dict[str, object] = {}
    for name, value in payload.items():
        field = fields.get(name)
        if field is None:
            close = difflib.get_close_matches(name, fields, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            known = ", ".join(fields) or "none"
            raise ControlError(400, "UnknownField", f"{route.method} {route.path} has no field {name!r}; "
                                                    f"{hint}its fields: {known}")
        try:
            values[field.parameter] = field.read(value)
        except ScenarioValueError as error:
            raise ControlError(400, "InvalidValue", f"field {name!r}: {error}") from None
        problem = _violation(field, value)
        if problem is not None:
            raise ControlError(400, "InvalidValue", f"field {name!r}: {problem}")
    missing = [field.name for field in route.fields if field.required and field.parameter not in values]
    if missing:
        raise ControlError(400, "MissingField", f"{route.method} {route.path} needs {', '.join(missing)}; "
                                                f"send e.g. {_example(route)}")
    journaled: dict[str, object] = {}
    for name, value in payload.items():
        read = values[fields[name].parameter]  # `now` is journaled as the moment it was
        journaled[name] = read.isoformat() if isinstance(read, datetime) else value
    return values, journaled


def _violation(field: Field, value: object) -> str | None:
    """How a value its reader accepted breaks the field's documented schema (a minimum, ...), or None."""
    error = best_match(Draft202012Validator(field.schema).iter_errors(value))
    return None if error is None else f"{error.message} (the field's schema: {json.dumps(field.schema)})"


def _example(route: Route) -> str:
    example = {field.name: field.schema.get("examples", ["…"])[0] for field in route.fields if field.required}
    return json.dumps(example, ensure_ascii=False)


class ControlApi:
    """Answers control calls on one served simulator."""

    def __init__(self, served: ServedSimulator, documents: Mapping[str, Callable[[], Json]]) -> None:
        self.served = served
        self.documents = documents
        """Extra GET routes answering a document (the OpenAPI documents), by path."""
        self._routes = {(route.method, route.path): route for route in routes()}

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, Json]:
        """The status and JSON answer of a control call."""
        path = path.rstrip("/") or path
        if method == "GET" and path in self.documents:
            return 200, self.documents[path]()
        try:
            route = self._route(method, path)
            values, journaled = _read_fields(route, body)
        except ControlError as error:
            return error.status, {"error": error.error, "message": error.message}
        if route.journaled:  # before it runs: a refused call is replayed (and refused) too
            self.served.record(method, path, journaled)
        try:
            answer = route.run(self.served, values)
        except ControlError as error:
            return error.status, {"error": error.error, "message": error.message}
        except (SimulationError, ClockError) as error:
            return 409, {"error": "ActionRefused", "message": str(error)}
        except AmazonPayError as error:
            return error.http_status, {"error": error.reason_code, "message": error.message}
        if route.response == "Done":
            answer = {"done": route.summary.split(". ")[0], "now": self.served.simulator.now().isoformat(),
                      **answer}
        return 200, answer

    def _route(self, method: str, path: str) -> Route:
        route = self._routes.get((method, path))
        if route is not None:
            return route
        methods = sorted(known for known, known_path in self._routes if known_path == path)
        if methods or path in self.documents:
            allowed = ", ".join(methods or ["GET"])
            raise ControlError(405, "MethodNotAllowed", f"{path} answers {allowed}, not {method}")
        paths = sorted({known_path for _, known_path in self._routes} | set(self.documents))
        close = difflib.get_close_matches(path, paths, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ControlError(404, "UnknownRoute", f"no control call {method} {path}{hint} "
                                                f"(GET {PREFIX}/openapi.json lists them all)")
