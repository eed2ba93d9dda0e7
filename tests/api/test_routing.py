"""Routing: hosts, the three path forms, environments, placeholders, and near-miss explanations."""

from __future__ import annotations

import pytest

from harness.api.http import HttpRequest
from harness.api.operations import Operation
from harness.api.routing import AMAZON_HOSTS, NoRouteError, Router, public_key_id_of
from harness.ids import Environment
from tests.api.conftest import OPERATIONS

ROUTER = Router(OPERATIONS)


def auth(key_id: str) -> dict[str, str]:
    """An Authorization header naming `key_id` (routing does not verify it)."""
    return {"authorization": f"AMZN-PAY-RSASSA-PSS PublicKeyId={key_id}, SignedHeaders=a, Signature=x"}


def resolve(method: str, url: str, key_id: str | None = "SANDBOX-ABC",
            router: Router = ROUTER) -> tuple[str, dict[str, str], Environment | None]:
    match = router.resolve(HttpRequest(method, url, auth(key_id) if key_id else {}))
    return match.operation.name, dict(match.path_params), match.environment


def miss(method: str, url: str, key_id: str | None = "SANDBOX-ABC",
         router: Router = ROUTER) -> NoRouteError:
    with pytest.raises(NoRouteError) as caught:
        router.resolve(HttpRequest(method, url, auth(key_id) if key_id else {}))
    assert router.near_miss(HttpRequest(method, url, auth(key_id) if key_id else {})) == \
        caught.value.explanation
    return caught.value


@pytest.mark.parametrize("host", sorted(AMAZON_HOSTS))
@pytest.mark.parametrize(("path", "key_id"), [
    ("/sandbox/v2/charges/S03-1-C1", "AHEXAMPLEKEY"),
    ("/v2/charges/S03-1-C1", "SANDBOX-AHEXAMPLEKEY"),
    ("/v2/charges/S03-1-C1", "sandboxAHEXAMPLEKEY"),
])
def test_every_host_and_path_form_reaches_the_operation(host: str, path: str, key_id: str) -> None:
    assert resolve("GET", f"https://{host}{path}", key_id) == (
        "getCharge", {"chargeId": "S03-1-C1"}, Environment.SANDBOX)


def test_live_paths_and_live_keys_resolve_on_a_live_router() -> None:
    live = Router(OPERATIONS, environment=Environment.LIVE)
    assert resolve("GET", "https://pay-api.amazon.jp/live/v2/charges/X", "PLAIN", live)[2] == \
        Environment.LIVE
    assert resolve("GET", "https://pay-api.amazon.jp/v2/charges/X", "LIVE-K", live)[2] == \
        Environment.LIVE


@pytest.mark.parametrize("url", [
    "https://pay-api.amazon.jp/v2/charges/X/",  # .NET adds a trailing slash
    "https://pay-api.amazon.jp//v2//charges//X//",
    "https://pay-api.amazon.jp:443/v2/charges/X",
    "http://pay-api.amazon.jp:8443/v2/charges/X?x=1",
])
def test_trailing_slashes_slash_runs_ports_and_queries_are_tolerated(url: str) -> None:
    assert resolve("GET", url)[:2] == ("getCharge", {"chargeId": "X"})


def test_origin_form_takes_the_host_header() -> None:
    request = HttpRequest("GET", "/v2/charges/X", {**auth("SANDBOX-K"), "Host": "pay-api.amazon.eu"})
    assert ROUTER.resolve(request).operation.name == "getCharge"
    wrong = HttpRequest("GET", "/v2/charges/X", {**auth("SANDBOX-K"), "Host": "127.0.0.1:8443"})
    with pytest.raises(NoRouteError, match=r"'127\.0\.0\.1' is not an Amazon Pay API host"):
        ROUTER.resolve(wrong)


def test_any_host_when_hosts_is_none() -> None:
    local = Router(OPERATIONS, hosts=None)
    assert resolve("GET", "http://127.0.0.1:8089/v2/charges/X", router=local)[0] == "getCharge"


def test_placeholders_are_percent_decoded_and_literals_exact() -> None:
    assert resolve("POST", "https://pay-api.amazon.jp/v2/charges/a%20b/capture")[1] == {"chargeId": "a b"}
    assert resolve("GET", "https://pay-api.amazon.jp/v2/reports?reportTypes=A,B")[:2] == ("getReports", {})


def test_a_v2_path_without_authorization_defers_the_environment() -> None:
    assert resolve("GET", "https://pay-api.amazon.jp/v2/charges/X", key_id=None)[2] is None


def test_unknown_host_names_the_closest_api_host() -> None:
    error = miss("GET", "https://pay-api.amazon.co.jp/v2/charges/X")
    assert error.http_status == 404
    assert error.reason_code == "ResourceNotFound"
    assert "did you mean pay-api.amazon.jp?" in error.explanation


def test_unknown_resource_names_the_closest_route() -> None:
    error = miss("GET", "https://pay-api.amazon.jp/v2/charge/X")
    assert (error.http_status, error.reason_code) == (404, "ResourceNotFound")
    assert "closest route is GET /v2/charges/{chargeId} (getCharge)" in error.message
    assert error.message.startswith("No Amazon Pay API operation matches GET /v2/charge/X: ")


def test_known_path_with_the_wrong_method_is_405_and_lists_the_methods() -> None:
    error = miss("PUT", "https://pay-api.amazon.jp/sandbox/v2/charges/X", "PLAIN")
    assert (error.http_status, error.reason_code) == (405, "UnsupportedOperation")
    assert "GET /sandbox/v2/charges/{chargeId} (getCharge)" in error.explanation
    assert "PATCH /sandbox/v2/charges/{chargeId} (updateCharge)" in error.explanation


def test_v2_form_needs_a_prefixed_key() -> None:
    error = miss("GET", "https://pay-api.amazon.jp/v2/charges/X", "AHEXAMPLEKEY")
    assert "only for public key ids beginning SANDBOX or LIVE" in error.explanation
    assert "use /sandbox/v2/ or /live/v2/" in error.explanation


@pytest.mark.parametrize(("url", "key_id"), [
    ("https://pay-api.amazon.jp/live/v2/charges/X", "PLAIN"),
    ("https://pay-api.amazon.jp/v2/charges/X", "LIVE-K"),
])
def test_the_other_environment_is_not_routed(url: str, key_id: str) -> None:
    error = miss("GET", url, key_id)
    assert "for the Live environment, but this simulator models Sandbox" in error.explanation


@pytest.mark.parametrize(("path", "hint"), [
    ("/Sandbox/v2/charges/X", "lower case"),
    ("/sandbox/v1/charges/X", "version segment /v2 is missing"),
    ("/charges/X", "version segment /v2 is missing"),
    ("/sandbox/live/v2/charges/X", "is not of the form"),
])
def test_wrong_path_forms_are_explained(path: str, hint: str) -> None:
    assert hint in miss("GET", f"https://pay-api.amazon.jp{path}").explanation


def test_near_miss_is_none_for_a_match() -> None:
    assert ROUTER.near_miss(HttpRequest("GET", "https://pay-api.amazon.jp/v2/charges/X",
                                        auth("SANDBOX-K"))) is None


def test_public_key_id_is_read_leniently() -> None:
    assert public_key_id_of("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=LIVE-X, SignedHeaders=a") == "LIVE-X"
    assert public_key_id_of("Bearer token") is None
    assert public_key_id_of(None) is None


def test_bad_templates_are_refused() -> None:
    with pytest.raises(ValueError, match="whole segment"):
        Router([Operation("x", "GET", "charges/id-{chargeId}")])
    with pytest.raises(ValueError, match="share GET"):
        Router([Operation("a", "GET", "charges/{a}"), Operation("b", "GET", "charges/{b}")])


def test_a_remembered_match_still_depends_on_the_key_id_and_refusals_name_their_request() -> None:
    router = Router(OPERATIONS)
    url = "https://pay-api.amazon.jp/v2/charges/S03-1-C1"
    assert resolve("GET", url, "SANDBOX-A", router)[2] is Environment.SANDBOX
    assert resolve("GET", url, "SANDBOX-A", router)[2] is Environment.SANDBOX  # remembered
    assert "for the Live environment" in miss("GET", url, "LIVE-A", router).explanation  # other key id
    for path in ("/v2/nowhere", "/v2/nowhere"):  # a refusal is never remembered: its message is its own
        assert "/v2/nowhere" in str(miss("GET", f"https://pay-api.amazon.jp{path}", "SANDBOX-A", router))
    assert "not for DELETE" in miss("DELETE", url, "SANDBOX-A", router).explanation


def test_path_params_of_a_remembered_match_cannot_be_changed_by_a_caller() -> None:
    match = Router(OPERATIONS).resolve(HttpRequest("GET", "https://pay-api.amazon.jp/v2/charges/X",
                                                   auth("SANDBOX-A")))
    with pytest.raises(TypeError):
        match.path_params["chargeId"] = "Y"  # type: ignore[index]
