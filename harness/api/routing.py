"""Which operation a request is for: host, path form, environment, resource and method.

Hosts and path forms follow docs/reference/amazon-pay-v2.md §3 and docs/reference/official-sdks.md §2:
`/sandbox/v2/...` and
`/live/v2/...` for any public key id, `/v2/...` only for ids beginning `SANDBOX`/`LIVE` (any case),
whose prefix then names the environment. A trailing '/' and runs of '/' are tolerated (.NET and
Java send them, §3). A request that matches nothing gets Amazon's error shape (§4.1) with a
near-miss explanation: the closest route and why this request did not match it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import unquote

from harness.amazon_pay.errors import AmazonPayError
from harness.api.http import HttpRequest
from harness.api.keys import implied_environment
from harness.api.operations import Operation
from harness.ids import Environment, Region

__all__ = ["AMAZON_HOSTS", "NoRouteError", "Router", "public_key_id_of"]

AMAZON_HOSTS: Mapping[str, Region] = {
    "pay-api.amazon.com": Region.NA,
    "pay-api.amazon.eu": Region.EU,
    "pay-api.amazon.jp": Region.JP,
}
"""The API hosts (docs/reference/amazon-pay-v2.md §3)."""

LOOKALIKE_HOST = re.compile(r"(?i)^(?!.*\.amazonaws\.com$).*(pay.*amazon|amazon.*pay)")
"""Hosts that look like an Amazon Pay API host but are not one of `AMAZON_HOSTS` (D-WIRE-UNROUTED)."""

_COMPARED = 120
"""How much of a path a near miss compares and shows (a hostile 60 kB path costs no more)."""
_SLASH_RUN = re.compile(r"/{2,}")
_PATH_FORM = re.compile(r"/(?:(?P<env>sandbox|live)/)?v2(?:/(?P<rest>.*))?")
_PUBLIC_KEY_ID = re.compile(r"PublicKeyId=([^,\s]+)")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENVIRONMENTS = {"sandbox": Environment.SANDBOX, "live": Environment.LIVE}


def _shown(text: str) -> str:
    """`text`, cut to what a message needs."""
    return text if len(text) <= _COMPARED else f"{text[:_COMPARED]}… ({len(text):,} characters)"


def public_key_id_of(authorization: str | None) -> str | None:
    """The `PublicKeyId` named by an Authorization header, read leniently (no verification)."""
    return None if authorization is None else _key_id_in(authorization)


@lru_cache(maxsize=256)
def _key_id_in(authorization: str) -> str | None:
    """Memoised: a resent request routes with the same header."""
    found = _PUBLIC_KEY_ID.search(authorization)
    return found.group(1) if found else None


@dataclass(frozen=True)
class Route:
    """An operation's path template split into segments (`{name}` segments are placeholders)."""

    operation: Operation
    segments: tuple[str, ...]
    placeholders: tuple[str | None, ...] = ()
    """Per segment, the placeholder's name, or None for a literal segment (compiled by `of`)."""

    @classmethod
    def of(cls, operation: Operation) -> Route:
        """Compile `operation.path`; a placeholder must fill a whole segment."""
        segments = tuple(filter(None, operation.path.split("/")))
        placeholders: list[str | None] = []
        for segment in segments:
            name = _PLACEHOLDER.fullmatch(segment)
            if "{" in segment and not name:
                raise ValueError(f"{operation.name}: placeholder must be a whole segment: {segment!r}")
            placeholders.append(name.group(1) if name else None)
        return cls(operation, segments, tuple(placeholders))

    @property
    def first_literal(self) -> str | None:
        """The first segment when it is literal (what `Router` indexes routes by), else None."""
        return self.segments[0] if self.segments and self.placeholders[0] is None else None

    def bind(self, segments: Sequence[str]) -> dict[str, str] | None:
        """Placeholder values if `segments` fit the template, else None."""
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for template, name, actual in zip(self.segments, self.placeholders, segments, strict=True):
            if name is not None:
                params[name] = unquote(actual)
            elif template != actual:
                return None
        return params

    def display(self, prefix: str = "/v2/") -> str:
        """`POST /v2/charges/{chargeId}/capture (captureCharge)`."""
        return f"{self.operation.method} {prefix}{'/'.join(self.segments)} ({self.operation.name})"

    def likeness(self, segments: Sequence[str]) -> float:
        """How close `segments` are to this template (0..1), placeholders filled from them."""
        filled = [segments[index] if index < len(segments) and _PLACEHOLDER.fullmatch(template)
                  else template for index, template in enumerate(self.segments)]
        return difflib.SequenceMatcher(None, "/".join(filled), "/".join(segments)).ratio()


@dataclass(frozen=True)
class RouteMatch:
    """The operation a request is for, its environment and placeholder values."""

    operation: Operation
    environment: Environment | None
    """None only for a `/v2/` path whose request names no public key id (no Authorization)."""
    path_params: Mapping[str, str]


class NoRouteError(AmazonPayError):
    """No operation matches: 404 `ResourceNotFound` or 405 `UnsupportedOperation`, explained."""

    def __init__(self, reason_code: str, request: HttpRequest, explanation: str) -> None:
        super().__init__(reason_code, f"No Amazon Pay API operation matches {request.method} "
                                      f"{_shown(request.path)}: {explanation}")
        self.explanation = explanation


_Candidates = dict[tuple[int, str | None], list["Route"]]
_Compiled = tuple[tuple["Route", ...], _Candidates]
_COMPILED: dict[int, tuple[object, _Compiled]] = {}
"""Routes compiled per operations tuple (by identity: every simulator routes the same one)."""


def _compiled(operations: Iterable[Operation]) -> _Compiled:
    """`operations` as routes, and the routes a path may match by (segment count, first segment), in
    declaration order (a route whose first segment is a placeholder is in every bucket of its
    length); two sharing a method and path shape are refused. A tuple is compiled once."""
    known = _COMPILED.get(id(operations))
    if known is not None and known[0] is operations:
        return known[1]
    routes = tuple(Route.of(operation) for operation in operations)
    candidates: _Candidates = {}
    literals = {(len(route.segments), route.first_literal) for route in routes}
    for length, first in literals | {(length, None) for length, _ in literals}:
        candidates[length, first] = [route for route in routes if len(route.segments) == length
                                     and route.first_literal in (first, None)]
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for route in routes:
        shape = (route.operation.method, tuple(_PLACEHOLDER.sub("{}", s) for s in route.segments))
        if shape in seen:
            raise ValueError(f"{route.operation.name} and {seen[shape]} share "
                             f"{route.operation.method} {route.operation.path}")
        seen[shape] = route.operation.name
    compiled: _Compiled = (routes, candidates)
    if isinstance(operations, tuple):
        if len(_COMPILED) >= 16:  # tests build their own: keep the few in use
            _COMPILED.clear()
        _COMPILED[id(operations)] = (operations, compiled)
    return compiled


class _MissError(Exception):
    """No route: the reason code and explanation a `NoRouteError` for the request is made of."""

    def __init__(self, reason_code: str, explanation: str) -> None:
        super().__init__(explanation)
        self.reason_code = reason_code
        self.explanation = explanation


MATCHES_KEPT = 256
"""How many (method, path, key id) matches a router remembers (the oldest go first)."""


class Router:  # D-WIRE-ROUTING
    """Resolves requests to operations for a simulator of one environment.

    `hosts` are the hosts accepted (None: any, for a local server reached at its own address).
    A match is a pure function of the method, the path and the Authorization header's key id (the
    routes, environment and hosts do not change), so the matches found are remembered (a client
    polls the same paths); a refusal is explained afresh every time.
    """

    def __init__(self, operations: Iterable[Operation], *,
                 environment: Environment = Environment.SANDBOX,
                 hosts: Collection[str] | None = tuple(AMAZON_HOSTS)) -> None:
        self.routes, self._candidates = _compiled(operations)
        self.environment = environment
        self.hosts = None if hosts is None else frozenset(host.lower() for host in hosts)
        self._matched = lru_cache(maxsize=MATCHES_KEPT)(self._match)

    def resolve(self, request: HttpRequest) -> RouteMatch:
        """The match for `request`, or raise `NoRouteError` with the near-miss explanation."""
        host = request.host
        if self.hosts is not None and host is not None and host not in self.hosts:
            raise NoRouteError("ResourceNotFound", request, self._unknown_host(host))
        try:
            return self._matched(request.method, request.path,
                                 public_key_id_of(request.headers.get("authorization")))
        except _MissError as miss:
            raise NoRouteError(miss.reason_code, request, miss.explanation) from None

    def near_miss(self, request: HttpRequest) -> str | None:
        """Why `request` matches no route (the closest route and the reason), or None."""
        try:
            self.resolve(request)
        except NoRouteError as miss:
            return miss.explanation
        return None

    # --- steps ----------------------------------------------------------------------------------

    def _match(self, method: str, path: str, key_id: str | None) -> RouteMatch:
        if "//" in path:
            path = _SLASH_RUN.sub("/", path)
        form = _PATH_FORM.fullmatch(path.rstrip("/") or "/")
        if form is None:
            raise _MissError("ResourceNotFound", self._bad_form(path))
        environment = self._environment(key_id, form["env"])
        prefix = f"/{form['env']}/v2/" if form["env"] else "/v2/"
        segments = tuple(filter(None, (form["rest"] or "").split("/")))
        return self._operation(method, segments, prefix, environment)

    def _environment(self, key_id: str | None, env_segment: str | None) -> Environment | None:
        """The environment named by the path, else by the key id's prefix (None: no key id)."""
        if env_segment is not None:
            environment = _ENVIRONMENTS[env_segment]
        else:
            if key_id is None:
                return None
            implied = implied_environment(key_id)
            if implied is None:
                raise _MissError("ResourceNotFound", (
                    f"the /v2/ form (no /sandbox or /live) is only for public key ids beginning "
                    f"SANDBOX or LIVE, and {key_id!r} does not; use /sandbox/v2/ or /live/v2/ "
                    "(docs/reference/amazon-pay-v2.md §3)"))
            environment = implied
        if environment is not self.environment:
            raise _MissError("ResourceNotFound", (
                f"the request is for the {environment} environment, but this simulator models "
                f"{self.environment} (create it with environment=Environment.{environment.name}, "
                f"or send {self.environment} requests)"))
        return environment

    def _operation(self, method: str, segments: Sequence[str], prefix: str,
                   environment: Environment | None) -> RouteMatch:
        same_path: list[Route] = []
        first = segments[0] if segments else None
        candidates = self._candidates.get((len(segments), first))
        if candidates is None:
            candidates = self._candidates.get((len(segments), None), [])
        for route in candidates:
            params = route.bind(segments)
            if params is None:
                continue
            if route.operation.method == method:
                return RouteMatch(route.operation, environment, MappingProxyType(params))  # shared: read only
            same_path.append(route)
        if same_path:
            allowed = ", ".join(route.display(prefix) for route in same_path)
            raise _MissError("UnsupportedOperation", f"the path exists, but not for {method}: {allowed}")
        raise _MissError("ResourceNotFound", self._closest(segments, prefix))

    # --- explanations ---------------------------------------------------------------------------

    def _closest(self, segments: Sequence[str], prefix: str) -> str:
        if not self.routes:
            return "the simulator has no operations"
        compared = [segment[:_COMPARED] for segment in segments[:_COMPARED]]  # bounded work on any path
        best = max(self.routes, key=lambda route: route.likeness(compared))
        return f"no resource {_shown('/'.join(segments) or '(none)')!r}; the closest route is " \
               f"{best.display(prefix)}"

    def _unknown_host(self, host: str) -> str:
        known = sorted(self.hosts or ())
        closest = difflib.get_close_matches(host, known, n=1, cutoff=0.0)
        hint = f"; did you mean {closest[0]}?" if closest else ""
        return f"{host!r} is not an Amazon Pay API host (known: {', '.join(known)}){hint}"

    def _bad_form(self, path: str) -> str:
        hint = ""
        lowered = path.lower()
        if lowered != path and _PATH_FORM.fullmatch(lowered.rstrip("/") or "/"):
            hint = "; the /sandbox, /live and /v2 segments are lower case"
        elif "/v2" not in lowered:
            hint = "; the API version segment /v2 is missing or wrong"
        return (f"the path {_shown(path)!r} is not of the form /sandbox/v2/<resource>, /live/v2/<resource> "
                f"or /v2/<resource> (SANDBOX/LIVE key ids only){hint}")
