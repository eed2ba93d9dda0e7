"""Framework-free HTTP messages: what the respx mount and a real server hand to the handler.

Header names are case-insensitive (the SDKs differ in case, docs/reference/official-sdks.md §1.2); the names
are
kept as received so a header can be forwarded unchanged.
"""

from __future__ import annotations

import json
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar, overload
from urllib.parse import urlsplit

import orjson

__all__ = ["Headers", "HttpRequest", "json_bytes"]

HeaderSource = Mapping[str, str] | Iterable[tuple[str, str]]
_T = TypeVar("_T")


def _add(items: dict[str, tuple[str, str]], name: str, value: str) -> None:
    key = name.lower()
    previous = items.get(key)
    items[key] = (name, value) if previous is None else (previous[0], f"{previous[1]}, {value}")


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of header names to values.

    A repeated header keeps its values joined by `", "` (RFC 9110 §5.3).
    """

    __slots__ = ("_items",)

    def __init__(self, source: HeaderSource = ()) -> None:
        pairs = source.items() if isinstance(source, Mapping) else source
        items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            _add(items, name, value)
        self._items = items

    @classmethod
    def from_raw(cls, pairs: Iterable[tuple[bytes, bytes]]) -> Headers:
        """Headers from the (name, value) bytes a server received (ASGI `scope["headers"]`), as Latin-1."""
        items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            _add(items, name.decode("latin-1"), value.decode("latin-1"))
        return cls._of(items)

    @classmethod
    def _of(cls, items: dict[str, tuple[str, str]]) -> Headers:
        """Headers over `items` (lower-case name -> (name, value)), taken as they are."""
        headers = cls.__new__(cls)
        headers._items = items
        return headers

    def __getitem__(self, name: str) -> str:
        item = self._items.get(name)  # a lower-case name is found without lowering it (see `get`)
        return self._items[name.lower()][1] if item is None else item[1]

    @overload
    def get(self, name: str, /) -> str | None: ...

    @overload
    def get(self, name: str, /, default: str | _T) -> str | _T: ...

    def get(self, name: str, /, default: object = None) -> object:
        """The value of `name` (any case), else `default` (a hot path of every request: a lower-case
        name, as the handler asks for, is found without lowering it; the keys are lower case)."""
        item = self._items.get(name)
        if item is None:
            item = self._items.get(name.lower())
        return default if item is None else item[1]

    def with_header(self, name: str, value: str) -> Headers:
        """These headers and `name: value` (a repeated name joins, as in the constructor)."""
        items = dict(self._items)
        _add(items, name, value)
        return Headers._of(items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k.lower(): v for k, v in self.items()} == {k.lower(): v for k, v in other.items()}

    __hash__ = None  # type: ignore[assignment]  # a mapping is not hashable

    def items(self) -> ItemsView[str, str]:
        """(name, value) pairs, names as received."""
        return _HeaderItems(self)

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(name, value) pairs, names as received, as a tuple (what `tuple(items())` gives, at once)."""
        return tuple(self._items.values())

    def lower_items(self) -> Iterator[tuple[str, str]]:
        """(lower-case name, value) pairs, as a server writes them."""
        return ((key, item[1]) for key, item in self._items.items())


class _HeaderItems(ItemsView[str, str]):
    """The items of `Headers`, iterated without a lookup per name (a hot path of verification)."""

    _mapping: Headers

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._mapping._items.values())


def _headers(source: HeaderSource | Headers) -> Headers:
    return source if isinstance(source, Headers) else Headers(source)


@lru_cache(maxsize=64)
def _header_host(value: str) -> str | None:
    """The host of a `Host` header (memoised: a client sends the same one on every request)."""
    return urlsplit("//" + value).hostname


@dataclass(frozen=True, init=False)
class HttpRequest:
    """A request as received: `url` is absolute (`https://pay-api.amazon.jp/v2/...`) or a path."""

    method: str
    url: str
    headers: Headers
    body: bytes

    def __init__(self, method: str, url: str, headers: HeaderSource | Headers = (),
                 body: bytes = b"") -> None:
        object.__setattr__(self, "method", method.upper())
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "headers", _headers(headers))
        object.__setattr__(self, "body", body)

    @property
    def _parts(self) -> tuple[str | None, str, str]:
        """Host, path and query, split once (by hand: `cached_property` takes a lock on every read)."""
        parts: tuple[str | None, str, str] | None = self.__dict__.get("_split_parts")
        if parts is None:
            parts = self._split()
            object.__setattr__(self, "_split_parts", parts)
        return parts

    def _split(self) -> tuple[str | None, str, str]:
        try:
            parts = urlsplit(self.url)
        except ValueError:  # not a URL (`http://[::1/v2`): nothing can route it
            return None, self.url, ""
        host = parts.hostname if parts.netloc else None
        if host is None and "host" in self.headers:
            host = _header_host(self.headers["host"])
        return host, parts.path, parts.query

    @property
    def host(self) -> str | None:
        """Lower-case host without port: from an absolute URL, else the `Host` header."""
        return self._parts[0]

    @property
    def path(self) -> str:
        """The path as received (still percent-encoded)."""
        return self._parts[1]

    @property
    def query(self) -> str:
        """The raw query string, '' when there is none."""
        return self._parts[2]


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_bytes(payload: object) -> bytes:
    """Compact UTF-8 JSON; `Decimal` values become strings, as Amazon writes amounts (§1.0).

    orjson writes the same bytes as the standard library's compact, non-ASCII form, in about a
    tenth of the time (8 µs of a Checkout Session's answer, docs/performance.md). Its answer keeps
    orjson's whole working buffer (at least 4 KiB since orjson 3.12, whatever the length), so it is
    copied to its own length: bodies are kept (kept signatures, idempotent answers, respx's records,
    the served journal), and a 300-byte body must not hold 4 KiB."""
    return bytes(memoryview(orjson.dumps(payload, default=_json_default)))


_JSON_HEADERS = Headers([("content-type", "application/json")])
"""The headers of a JSON answer (immutable, so shared)."""


@dataclass(frozen=True, init=False)
class HttpResponse:
    """A response to send: status, headers and body bytes."""

    status: int
    headers: Headers
    body: bytes

    def __init__(self, status: int, headers: HeaderSource | Headers = (),
                 body: bytes = b"") -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "headers", _headers(headers))
        object.__setattr__(self, "body", body)

    @classmethod
    def from_json(cls, status: int, payload: object,
                  headers: HeaderSource | Headers = ()) -> HttpResponse:
        """A JSON response; `Decimal` values are written as strings (Amazon's amounts, §1.0)."""
        merged = (_JSON_HEADERS if not headers
                  else Headers([*_JSON_HEADERS.items(), *_headers(headers).items()]))
        return cls(status, merged, json_bytes(payload))

    def with_header(self, name: str, value: str) -> HttpResponse:
        """This response with one more header."""
        return HttpResponse(self.status, self.headers.with_header(name, value), self.body)

    def json(self) -> object:
        """The body parsed as JSON (numbers with a fraction as `Decimal`)."""
        return json.loads(self.body, parse_float=Decimal)
