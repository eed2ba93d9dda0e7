"""Request and button signing: the Java vectors, round trips, and each SDK quirk the verifier allows."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import NotRequired, TypedDict

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from harness.api.button import php_stripcslashes, sign_button_payload, verify_button_signature
from harness.api.canonical import (
    Algorithm,
    assemble_canonical_request,
    canonical_query,
    canonical_request,
    canonical_uri,
    normalise_query,
    path_candidates,
    query_candidates,
    split_request_target,
    string_to_sign,
)
from harness.api.keys import KeyRegistry, test_key_pair
from harness.api.signer import authorization_header, format_amz_date, sign_request, sign_string
from harness.api.verifier import (
    VERIFIED_BODY_LIMIT,
    InvalidDateError,
    InvalidHeaderValueError,
    InvalidSignatureError,
    MalformedAuthorizationError,
    MissingHeaderError,
    PublicKeyLookup,
    SignatureError,
    UnknownPublicKeyError,
    VerifiedRequest,
    VerifiedRequests,
    parse_amz_date,
    parse_authorization,
    verify_request,
)

PAIR = test_key_pair("SANDBOX-SIGNING-TEST")
REGISTRY = KeyRegistry()
REGISTRY.register_pair(PAIR)
NOW = datetime(2026, 11, 28, 1, 15, 26, 123456, tzinfo=UTC)
JSON = "application/json"
BODY = b'{"chargeAmount":{"amount":"1200","currencyCode":"JPY"}}'
IDEMPOTENCY = {"X-Amz-Pay-Idempotency-Key": "4f0a2b9c1d3e4f5a6b7c8d9e0f1a2b3c"}


# --- Java SDK test vectors (docs/reference/official-sdks.md §4)
# ----------------------------------------------

class Vector(TypedDict):
    """One case of the vectors file; `algorithm` is only given on a few."""

    name: str
    uri: str
    method: str
    parameters: dict[str, list[str]]
    payload: str
    canonicalRequest: str
    stringToSign: str
    algorithm: NotRequired[str]


VECTORS: list[Vector] = json.loads(
    (Path(__file__).parents[1] / "data" / "signing-canonical-requests.json").read_text("utf-8")
)
# The file holds 17 cases signed with the legacy algorithm, then the same 17 with V2.
HALF = 17
VECTOR_HEADERS = {
    "accept": JSON,
    "content-type": JSON,
    "x-amz-pay-date": "20180524T223710Z",
    "x-amz-pay-host": "pay-api.amazon.eu",
    "x-amz-pay-region": "EU",
}


def vector_algorithm(index: int) -> Algorithm:
    """The algorithm of the index-th vector, by its half of the file."""
    return Algorithm.LEGACY if index < HALF else Algorithm.V2


def test_vector_file_has_17_cases_per_algorithm() -> None:
    assert len(VECTORS) == 2 * HALF
    assert [v["name"] for v in VECTORS[:HALF]] == [v["name"] for v in VECTORS[HALF:]]
    for index, vector in enumerate(VECTORS):
        assert vector.get("algorithm", vector_algorithm(index)) == vector_algorithm(index)


@pytest.mark.parametrize(
    ("index", "vector"),
    list(enumerate(VECTORS)),
    ids=[f"{i:02d}-{v['name']}-{vector_algorithm(i).value}" for i, v in enumerate(VECTORS)],
)
def test_java_vector(index: int, vector: Vector) -> None:
    request = canonical_request(vector["method"], vector["uri"], vector["parameters"],
                                VECTOR_HEADERS, sorted(VECTOR_HEADERS), body=vector["payload"])
    assert request == vector["canonicalRequest"]
    assert string_to_sign(vector_algorithm(index), request) == vector["stringToSign"]


# --- canonical parts --------------------------------------------------------------------------


def test_algorithm_salt_lengths() -> None:
    assert (Algorithm.LEGACY.value, Algorithm.LEGACY.salt_length) == ("AMZN-PAY-RSASSA-PSS", 20)
    assert (Algorithm.V2.value, Algorithm.V2.salt_length) == ("AMZN-PAY-RSASSA-PSS-V2", 32)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("//foo//", "/"),
        ("", "/"),
        ("/live/v2/refunds/S03-1-R1/", "/live/v2/refunds/S03-1-R1/"),
        ("/a//b///c", "/a/b/c"),
        ("/a b*", "/a%20b%2A"),
        ("/%7Efoo%2a", "/~foo%2A"),
        ("/ሴ", "/%E1%88%B4"),
        ("https://pay-api.amazon.com//v2//x/?q=1", "/v2/x/"),
        ("relative/path", "/relative/path"),
    ],
)
def test_canonical_uri(path: str, expected: str) -> None:
    assert canonical_uri(path) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ""),
        ({"nextToken": [""]}, "nextToken="),
        ({"a": "x y"}, "a=x%20y"),
        ({"b": ["2", "10"], "a": ["z"]}, "a=z&b=10&b=2"),
        ({"reportTypes": ["A,B"], "pageSize": ["10"]}, "pageSize=10&reportTypes=A%2CB"),
    ],
)
def test_canonical_query(params: Mapping[str, list[str] | str], expected: str) -> None:
    assert canonical_query(params) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("reportTypes=A,B&pageSize=10", "pageSize=10&reportTypes=A%2CB"),
        ("a=1+2", "a=1%2B2"),
        ("a=%7e&&b", "a=~&b="),
        ("q=it's(1)*", "q=it%27s%281%29%2A"),
        ("", ""),
    ],
)
def test_normalise_query(raw: str, expected: str) -> None:
    assert normalise_query(raw) == expected


def test_query_candidates_try_verbatim_first_without_duplicates() -> None:
    assert query_candidates("b=2&a=1") == ("b=2&a=1", "a=1&b=2")
    assert query_candidates("a=1&b=2") == ("a=1&b=2",)


def test_path_candidates_collapse_then_java_encode() -> None:
    assert path_candidates("/v2//x*/") == ("/v2/x*/", "/v2/x%2A/")
    assert path_candidates("/v2/x") == ("/v2/x",)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/v2/x?a=1", ("/v2/x", "a=1")),
        ("/v2/x", ("/v2/x", None)),
        ("/v2/x?", ("/v2/x", "")),
        ("https://pay-api.amazon.com/v2/x?a=1", ("/v2/x", "a=1")),
        ("http://pay-api.amazon.com", ("", None)),
    ],
)
def test_split_request_target(target: str, expected: tuple[str, str | None]) -> None:
    assert split_request_target(target) == expected


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20261128T011526Z", datetime(2026, 11, 28, 1, 15, 26, tzinfo=UTC)),
        ("2026-11-28T01:12:12Z", datetime(2026, 11, 28, 1, 12, 12, tzinfo=UTC)),
    ],
)
def test_parse_amz_date_both_forms(value: str, expected: datetime) -> None:
    parsed = parse_amz_date(value)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    ["yesterday", "", "20261328T011526Z", "2026-11-28 01:12:12Z", "2026-11-28T01:12:12",
     "2026112T011526Z", "2026-11-28T01:12:12.000Z", "20261128T011526Z\n"],
)
def test_parse_amz_date_rejects_garbage(value: str) -> None:
    with pytest.raises(InvalidDateError, match="x-amz-pay-date") as caught:
        parse_amz_date(value)
    assert (caught.value.http_status, caught.value.reason_code) == (400, "InvalidHeaderValue")


def test_format_amz_date() -> None:
    jst = datetime(2026, 11, 28, 10, 15, 26, 999, tzinfo=timezone(timedelta(hours=9)))
    assert format_amz_date(jst) == "20261128T011526Z"
    assert format_amz_date(jst, extended=True) == "2026-11-28T01:15:26Z"
    with pytest.raises(ValueError, match="naive"):
        format_amz_date(datetime(2026, 11, 28))


# --- Authorization header ---------------------------------------------------------------------


def test_parse_authorization_keeps_signed_header_case() -> None:
    value = ("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=SANDBOX-AB1,"
             "SignedHeaders=accept;X-Amz-Pay-Idempotency-Key;x-amz-pay-date,Signature=c2ln+/=")
    parsed = parse_authorization(value)
    assert parsed.algorithm is Algorithm.V2
    assert parsed.public_key_id == "SANDBOX-AB1"
    assert parsed.signed_headers == ("accept", "X-Amz-Pay-Idempotency-Key", "x-amz-pay-date")
    assert parsed.signed_headers_line == "accept;X-Amz-Pay-Idempotency-Key;x-amz-pay-date"
    assert parsed.signature == "c2ln+/="


def test_authorization_header_round_trips() -> None:
    value = authorization_header(Algorithm.LEGACY, "LIVE-1", ["a", "b"], "c2ln")
    assert value == "AMZN-PAY-RSASSA-PSS PublicKeyId=LIVE-1, SignedHeaders=a;b, Signature=c2ln"
    assert parse_authorization(value).signed_headers == ("a", "b")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "algorithm '' is unknown"),
        ("Bearer abc", "algorithm 'Bearer' is unknown"),
        ("AMZN-PAY-RSASSA-PSS-V3 PublicKeyId=k, SignedHeaders=a, Signature=s", "is unknown"),
        ("AMZN-PAY-RSASSA-PSS PublicKeyId=k SignedHeaders=a;b, Signature=s", "does not have the form"),
        ("AMZN-PAY-RSASSA-PSS PublicKeyId=k, SignedHeaders=a;b", "does not have the form"),
        ("AMZN-PAY-RSASSA-PSS PublicKeyId=k, SignedHeaders=a;;b, Signature=s", "empty header name"),
    ],
)
def test_parse_authorization_rejects_with_clear_message(value: str, message: str) -> None:
    with pytest.raises(MalformedAuthorizationError, match=message) as caught:
        parse_authorization(value)
    assert (caught.value.http_status, caught.value.reason_code) == (400, "InvalidHeaderValue")


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (MissingHeaderError, 400, "MissingHeader"),
        (InvalidHeaderValueError, 400, "InvalidHeaderValue"),
        (MalformedAuthorizationError, 400, "InvalidHeaderValue"),
        (InvalidDateError, 400, "InvalidHeaderValue"),
        (UnknownPublicKeyError, 403, "InvalidRequestSignature"),
        (InvalidSignatureError, 403, "InvalidRequestSignature"),
    ],
)
def test_errors_carry_amazon_status_and_reason(error: type[SignatureError], status: int,
                                               code: str) -> None:
    instance = error("why")
    assert isinstance(instance, SignatureError)
    assert (instance.http_status, instance.reason_code, instance.message) == (status, code, "why")


# --- client signing ---------------------------------------------------------------------------


def signed_post(algorithm: Algorithm = Algorithm.LEGACY) -> dict[str, str]:
    """Headers of a Java-style POST with a query and an idempotency key."""
    return sign_request("POST", "https://pay-api.amazon.jp/sandbox/v2/charges",
                        query={"a": ["1"]}, body=BODY, headers=IDEMPOTENCY,
                        public_key_id=PAIR.public_key_id, private_key=PAIR.private_key,
                        region="jp", now=NOW, algorithm=algorithm)


def verify(method: str, target: str, raw_query: str | None, headers: Mapping[str, str],
           body: bytes = b"") -> VerifiedRequest:
    """verify_request against the test registry."""
    return verify_request(method, target, raw_query, headers, body,
                          public_key_lookup=REGISTRY.public_key)


def test_sign_request_headers_are_the_java_ones() -> None:
    headers = signed_post()
    auth = parse_authorization(headers.pop("authorization"))
    assert headers == {
        "accept": JSON,
        "content-type": JSON,
        "x-amz-pay-date": "20261128T011526Z",
        "x-amz-pay-host": "pay-api.amazon.jp",
        "x-amz-pay-region": "jp",
        "x-amz-pay-idempotency-key": IDEMPOTENCY["X-Amz-Pay-Idempotency-Key"],
    }
    assert auth.signed_headers == ("accept", "content-type", "x-amz-pay-date", "x-amz-pay-host",
                                   "x-amz-pay-idempotency-key", "x-amz-pay-region")
    assert (auth.algorithm, auth.public_key_id) == (Algorithm.LEGACY, PAIR.public_key_id)


@pytest.mark.parametrize(
    ("url", "host", "expected"),
    [
        ("https://pay-api.amazon.jp:443/v2/x", None, "pay-api.amazon.jp"),
        ("/v2/x", None, "pay-api.amazon.jp"),
        ("/v2/x", "127.0.0.1:8443", "127.0.0.1:8443"),
    ],
)
def test_sign_request_host(url: str, host: str | None, expected: str) -> None:
    headers = sign_request("GET", url, public_key_id="k", private_key=PAIR.private_key,
                           region="JP", now=NOW, host=host)
    assert headers["x-amz-pay-host"] == expected


def test_sign_request_refuses_bad_input() -> None:
    def sign(region: str, now: datetime, headers: Mapping[str, str] | None = None) -> None:
        sign_request("GET", "/v2/x", public_key_id="k", private_key=PAIR.private_key,
                     region=region, now=now, headers=headers)

    with pytest.raises(ValueError, match="naive"):
        sign("jp", datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="no default host"):
        sign("fe", NOW)
    with pytest.raises(ValueError, match="authorization"):
        sign("jp", NOW, {"Authorization": "x"})


# --- round trips and strict salt --------------------------------------------------------------


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_sign_then_verify(algorithm: Algorithm) -> None:
    headers = signed_post(algorithm)
    verified = verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)
    assert verified.algorithm is algorithm
    assert verified.public_key_id == PAIR.public_key_id
    assert verified.date == NOW.replace(microsecond=0)
    assert verified.signed_headers == parse_authorization(headers["authorization"]).signed_headers
    assert verified.canonical_request.startswith("POST\n/sandbox/v2/charges\na=1\naccept:")


def resign(headers: Mapping[str, str], algorithm: Algorithm, salt: int) -> dict[str, str]:
    """The same request signed for `algorithm` but with PSS salt length `salt`."""
    auth = parse_authorization(headers["authorization"])
    request = canonical_request("POST", "/sandbox/v2/charges", {"a": ["1"]}, headers,
                                auth.signed_headers, body=BODY)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt)
    raw = PAIR.private_key.sign(string_to_sign(algorithm, request).encode(), pss, hashes.SHA256())
    signature = base64.b64encode(raw).decode()
    value = authorization_header(algorithm, auth.public_key_id, auth.signed_headers, signature)
    return {**headers, "authorization": value}


@pytest.mark.parametrize(
    ("algorithm", "salt", "accepted"),
    [(Algorithm.LEGACY, 20, True), (Algorithm.LEGACY, 32, False),
     (Algorithm.V2, 32, True), (Algorithm.V2, 20, False)],
)
def test_salt_length_is_strict(algorithm: Algorithm, salt: int, accepted: bool) -> None:
    headers = resign(signed_post(), algorithm, salt)
    if accepted:
        assert verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY).algorithm is algorithm
    else:
        with pytest.raises(InvalidSignatureError, match=f"salt {algorithm.salt_length}"):
            verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


@pytest.mark.parametrize(("signed_as", "claimed"), [(Algorithm.V2, Algorithm.LEGACY),
                                                    (Algorithm.LEGACY, Algorithm.V2)])
def test_signature_relabelled_to_other_algorithm_fails(signed_as: Algorithm,
                                                       claimed: Algorithm) -> None:
    headers = signed_post(signed_as)
    headers["authorization"] = headers["authorization"].replace(signed_as.value, claimed.value, 1)
    assert parse_authorization(headers["authorization"]).algorithm is claimed
    with pytest.raises(InvalidSignatureError):
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


@pytest.mark.parametrize(
    ("method", "target", "query", "header", "body"),
    [
        ("POST", "/sandbox/v2/charges", "a=1", None, b'{"chargeAmount":{"amount":"1","x":1}}'),
        ("POST", "/sandbox/v2/charge", "a=1", None, BODY),
        ("POST", "/sandbox/v2/charges", "a=2", None, BODY),
        ("PUT", "/sandbox/v2/charges", "a=1", None, BODY),
        ("POST", "/sandbox/v2/charges", "a=1", ("x-amz-pay-host", "pay-api.amazon.com"), BODY),
        ("POST", "/sandbox/v2/charges", "a=1", ("x-amz-pay-date", "20261128T011527Z"), BODY),
    ],
    ids=["body", "path", "query", "method", "host-header", "date-header"],
)
def test_tampered_request_fails(method: str, target: str, query: str,
                                header: tuple[str, str] | None, body: bytes) -> None:
    headers = signed_post()
    if header is not None:
        headers[header[0]] = header[1]
    with pytest.raises(InvalidSignatureError, match="does not verify") as caught:
        verify(method, target, query, headers, body)
    assert (caught.value.http_status, caught.value.reason_code) == (403, "InvalidRequestSignature")
    assert caught.value.canonical_requests


def test_received_header_names_in_any_case_and_values_trimmed() -> None:
    headers = {name.upper(): f"  {value} " for name, value in signed_post().items()}
    assert verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY).date == parse_amz_date(
        "20261128T011526Z")


# --- SDK quirks (docs/reference/official-sdks.md §1.2)
# -------------------------------------------------------


def node_style(method: str, path: str, raw_query: str, body: bytes) -> dict[str, str]:
    """Headers as the Node SDK sends them: ISO date, port in host, user-agent and caller-case names."""
    headers = {
        "accept": JSON,
        "content-type": JSON,
        "user-agent": "amazon-pay-api-sdk-nodejs/2.3.4 (JS/20.20.2; linux)",
        "x-amz-pay-date": "2026-11-28T01:12:12Z",
        "x-amz-pay-host": "127.0.0.1:8443",
        "x-amz-pay-region": "jp",
        **IDEMPOTENCY,
    }
    names = sorted(headers, key=str.lower)
    request = assemble_canonical_request(method, path, raw_query, headers, names, body=body)
    signature = sign_string(string_to_sign(Algorithm.V2, request), PAIR.private_key, Algorithm.V2)
    authorization = authorization_header(Algorithm.V2, PAIR.public_key_id, names, signature)
    return {**headers, "authorization": authorization}


def test_node_style_request_is_accepted() -> None:
    sent = node_style("POST", "/v2/charges", "q=it's(1)*", BODY)
    received = {name.lower(): value for name, value in sent.items()}  # servers lower-case names
    verified = verify("POST", "/v2/charges", "q=it's(1)*", received, BODY)
    assert "X-Amz-Pay-Idempotency-Key" in verified.signed_headers
    assert "user-agent" in verified.signed_headers
    assert verified.date == datetime(2026, 11, 28, 1, 12, 12, tzinfo=UTC)


def test_node_signed_headers_line_is_reused_verbatim() -> None:
    sent = node_style("POST", "/v2/charges", "", BODY)
    sent["authorization"] = sent["authorization"].replace("X-Amz-Pay-Idempotency-Key",
                                                          "x-amz-pay-idempotency-key")
    with pytest.raises(InvalidSignatureError):
        verify("POST", "/v2/charges", "", sent, BODY)


def test_java_style_request_is_accepted() -> None:
    headers = sign_request("GET", "https://pay-api.amazon.jp/live/v2/reports",
                           query={"reportTypes": ["A,B"], "pageSize": ["10"]},
                           public_key_id=PAIR.public_key_id, private_key=PAIR.private_key,
                           region="JP", now=NOW)
    assert headers["x-amz-pay-region"] == "JP"
    verified = verify("GET", "/live/v2/reports", "reportTypes=A,B&pageSize=10", headers)
    assert "\npageSize=10&reportTypes=A%2CB\n" in verified.canonical_request


def test_absolute_form_target_is_accepted() -> None:
    url = "https://pay-api.amazon.com/v2/checkoutSessions"
    headers = sign_request("POST", url, body=BODY, public_key_id=PAIR.public_key_id,
                           private_key=PAIR.private_key, region="na", now=NOW)
    assert verify("POST", url, None, headers, BODY).public_key_id == PAIR.public_key_id
    assert verify("POST", "/v2/checkoutSessions", None, headers, BODY).date.year == 2026


def test_query_is_taken_from_target_when_raw_query_is_none() -> None:
    headers = sign_request("GET", "/v2/reports?pageSize=10", public_key_id=PAIR.public_key_id,
                           private_key=PAIR.private_key, region="jp", now=NOW)
    assert verify("GET", "/v2/reports?pageSize=10", None, headers).algorithm is Algorithm.LEGACY
    with pytest.raises(InvalidSignatureError):
        verify("GET", "/v2/reports", None, headers)


def test_trailing_slash_is_kept_and_slash_runs_collapse() -> None:
    path = "/live/v2/refunds/P03-1234567-1234567-R123456/"
    headers = sign_request("GET", path, public_key_id=PAIR.public_key_id,
                           private_key=PAIR.private_key, region="jp", now=NOW)
    assert verify("GET", path, "", headers).canonical_request.split("\n")[1] == path
    assert verify("GET", "/live//v2/refunds//P03-1234567-1234567-R123456/", "", headers)
    with pytest.raises(InvalidSignatureError):
        verify("GET", path.rstrip("/"), "", headers)


# --- rejections -------------------------------------------------------------------------------


def test_missing_signed_header_is_rejected() -> None:
    headers = signed_post()
    del headers["x-amz-pay-idempotency-key"]
    with pytest.raises(MissingHeaderError, match="x-amz-pay-idempotency-key") as caught:
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)
    assert (caught.value.http_status, caught.value.reason_code) == (400, "MissingHeader")


def test_missing_authorization_is_rejected() -> None:
    headers = signed_post()
    del headers["authorization"]
    with pytest.raises(MissingHeaderError, match="authorization header is missing"):
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


def test_malformed_authorization_is_rejected() -> None:
    headers = {**signed_post(), "authorization": "AWS4-HMAC-SHA256 Credential=x"}
    with pytest.raises(MalformedAuthorizationError, match="'AWS4-HMAC-SHA256' is unknown"):
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


def test_unsigned_date_is_rejected() -> None:
    headers = signed_post()
    headers["authorization"] = headers["authorization"].replace("x-amz-pay-date;", "")
    with pytest.raises(MalformedAuthorizationError, match="must include x-amz-pay-date"):
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


def test_unknown_key_id_is_rejected() -> None:
    headers = signed_post()
    headers["authorization"] = headers["authorization"].replace(PAIR.public_key_id, "SANDBOX-NOPE")
    with pytest.raises(UnknownPublicKeyError, match="'SANDBOX-NOPE'") as caught:
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)
    assert (caught.value.http_status, caught.value.reason_code) == (403, "InvalidRequestSignature")


def test_garbage_date_is_rejected() -> None:
    headers = {**signed_post(), "x-amz-pay-date": "tomorrow"}
    with pytest.raises(InvalidDateError, match="'tomorrow'"):
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


def test_signature_that_is_not_base64_is_rejected() -> None:
    headers = signed_post()
    auth = parse_authorization(headers["authorization"])
    headers["authorization"] = headers["authorization"].replace(auth.signature, "not*base64")
    with pytest.raises(InvalidSignatureError, match="not base64"):
        verify("POST", "/sandbox/v2/charges", "a=1", headers, BODY)


# --- verified requests kept (VerifiedRequests) -----------------------------------------------


def verify_kept(kept: VerifiedRequests, method: str, target: str, headers: Mapping[str, str],
                body: bytes = BODY, *, lookup: PublicKeyLookup = REGISTRY.public_key) -> VerifiedRequest:
    """verify_request remembering what verified in `kept`."""
    return verify_request(method, target, "a=1", headers, body, public_key_lookup=lookup, verified=kept)


def test_a_resent_request_is_verified_once() -> None:
    kept, headers = VerifiedRequests(), signed_post()
    first = verify_kept(kept, "POST", "/sandbox/v2/charges", headers)
    assert verify_kept(kept, "POST", "/sandbox/v2/charges", dict(headers)) is first
    assert len(kept) == 1


@pytest.mark.parametrize(
    ("method", "target", "header", "body"),
    [("POST", "/sandbox/v2/charges", None, b'{"chargeAmount":{"amount":"1","x":1}}'),
     ("POST", "/sandbox/v2/charge", None, BODY),
     ("PUT", "/sandbox/v2/charges", None, BODY),
     ("POST", "/sandbox/v2/charges", ("x-amz-pay-date", "20261128T011527Z"), BODY),
     ("POST", "/sandbox/v2/charges", ("X-Amz-Pay-Idempotency-Key", "another-key-0000000000000"), BODY)],
    ids=["body", "path", "method", "signed-header", "idempotency-key"])
def test_a_kept_request_never_lets_a_changed_one_through(method: str, target: str,
                                                         header: tuple[str, str] | None, body: bytes) -> None:
    kept, headers = VerifiedRequests(), signed_post()
    verify_kept(kept, "POST", "/sandbox/v2/charges", headers)
    if header is not None:
        headers[header[0]] = header[1]
    with pytest.raises(InvalidSignatureError, match="does not verify"):
        verify_kept(kept, method, target, headers, body)


def test_an_unsigned_idempotency_key_added_to_a_kept_request_is_refused() -> None:
    kept = VerifiedRequests()
    headers = sign_request("POST", "https://pay-api.amazon.jp/sandbox/v2/charges", query={"a": ["1"]},
                           body=BODY, public_key_id=PAIR.public_key_id, private_key=PAIR.private_key,
                           region="jp", now=NOW)
    verify_kept(kept, "POST", "/sandbox/v2/charges", headers)
    with pytest.raises(InvalidSignatureError, match="not in SignedHeaders"):
        verify_kept(kept, "POST", "/sandbox/v2/charges", {**headers, **IDEMPOTENCY})


def test_a_kept_request_is_checked_again_under_another_key() -> None:
    kept, headers = VerifiedRequests(), signed_post()
    verify_kept(kept, "POST", "/sandbox/v2/charges", headers)
    other = test_key_pair("SANDBOX-SIGNING-OTHER").public_key
    with pytest.raises(InvalidSignatureError, match="does not verify"):
        verify_kept(kept, "POST", "/sandbox/v2/charges", headers, lookup=lambda _key_id: other)
    with pytest.raises(UnknownPublicKeyError):
        verify_kept(kept, "POST", "/sandbox/v2/charges", headers, lookup=lambda _key_id: None)


def test_refusals_and_large_bodies_are_not_kept_and_the_rest_is_bounded() -> None:
    kept = VerifiedRequests(kept=2)
    with pytest.raises(InvalidSignatureError):
        verify_kept(kept, "POST", "/sandbox/v2/charges", signed_post(), b"{}")
    large = b'{"note":"' + b"x" * VERIFIED_BODY_LIMIT + b'"}'
    headers = sign_request("POST", "https://pay-api.amazon.jp/sandbox/v2/charges", query={"a": ["1"]},
                           body=large, headers=IDEMPOTENCY, public_key_id=PAIR.public_key_id,
                           private_key=PAIR.private_key, region="jp", now=NOW)
    verify_kept(kept, "POST", "/sandbox/v2/charges", headers, large)
    assert len(kept) == 0
    signed = [signed_post() for _ in range(3)]  # three signatures (PSS salts differ): three requests
    for headers in signed:
        verify_kept(kept, "POST", "/sandbox/v2/charges", headers)
    assert len(kept) == 2
    for headers in signed:  # the oldest went out; every one still verifies
        verify_kept(kept, "POST", "/sandbox/v2/charges", headers)


# --- button signature (docs/reference/amazon-pay-v2.md §5.4)
# -------------------------------------------------

BUTTON_PAYLOAD = (
    '{"storeId":"amzn1.application-oa2-client.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",'
    '"webCheckoutDetails":{"checkoutReviewReturnUrl":"https://localhost/test/CheckoutReview.php",'
    '"checkoutResultReturnUrl":"https://localhost/test/CheckoutResult.php"}}'
)


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_button_string_to_sign_vector(algorithm: Algorithm) -> None:
    digest = "8dec52d799607be40f82d5c8e7ecb6c171e6591c41b1111a576b16076c89381c"
    assert string_to_sign(algorithm, BUTTON_PAYLOAD) == f"{algorithm.value}\n{digest}"


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_button_signature_round_trip(algorithm: Algorithm) -> None:
    signature = sign_button_payload(BUTTON_PAYLOAD, PAIR.private_key, algorithm)
    verify_button_signature(BUTTON_PAYLOAD, signature, PAIR.public_key, algorithm)
    other = Algorithm.V2 if algorithm is Algorithm.LEGACY else Algorithm.LEGACY
    with pytest.raises(InvalidSignatureError):
        verify_button_signature(BUTTON_PAYLOAD, signature, PAIR.public_key, other)
    with pytest.raises(InvalidSignatureError):
        verify_button_signature(BUTTON_PAYLOAD.replace("xxxx", "yyyy"), signature,
                                PAIR.public_key, algorithm)


def test_button_signature_of_php_unescaped_payload_is_accepted() -> None:
    escaped = BUTTON_PAYLOAD.replace("/", "\\/")
    signature = sign_button_payload(BUTTON_PAYLOAD, PAIR.private_key)  # what PHP signs
    verify_button_signature(escaped, signature, PAIR.public_key)


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        (rb"a\/b", b"a/b"),
        (rb"\"q\"", b'"q"'),
        (rb"x\ny\tz", b"x\ny\tz"),
        (rb"\x41\x4a2", b"AJ2"),
        (rb"\101\0", b"A\x00"),
        (rb"\xZ", b"xZ"),
        (rb"\\", b"\\"),
        (b"end\\", b"end\\"),
        (rb"\q", b"q"),
    ],
)
def test_php_stripcslashes(escaped: bytes, plain: bytes) -> None:
    assert php_stripcslashes(escaped) == plain
