"""Deterministic identifiers in Amazon's formats (docs/reference/amazon-pay-v2.md §1.1).

One `IdFactory` per simulator, seeded, so the same scenario produces the same ids on every run:
checkout sessions are lower-case UUID v4, charge permissions `S03-1234567-1234567` (JP sandbox;
`P` live, `C`/`B` for Recurring), charges `<base>-C123456`, refunds `<base>-R123456`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from enum import StrEnum

__all__ = ["Environment", "IdFactory", "Region"]

_UUID4_KEEP = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)
"""The variant (RFC 4122) and version (4) bits of a random UUID, as `uuid.UUID(version=4)` sets them."""


class Environment(StrEnum):
    """`releaseEnvironment` of every object (§1.0)."""

    SANDBOX = "Sandbox"
    LIVE = "Live"


class Region(StrEnum):
    """API regions and the two-digit code they put into reference ids (§1.1)."""

    NA = "na"
    EU = "eu"
    JP = "jp"

    @property
    def code(self) -> str:
        """`01` NA, `02` EU/UK, `03` JP."""
        return {"na": "01", "eu": "02", "jp": "03"}[self.value]


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class IdFactory:
    """Issues unique ids; the same seed gives the same sequence."""

    def __init__(self, seed: int = 0, environment: Environment = Environment.SANDBOX,
                 region: Region = Region.JP) -> None:
        self._random = random.Random(seed)
        # request ids come from their own sequence, so that a scenario's object ids do not depend
        # on how many HTTP requests (retries, 404s, faults) came before them
        self._request_random = random.Random(f"request-ids-{seed}")
        self.environment = environment
        self.region = region
        self._issued: set[str] = set()

    def checkout_session_id(self) -> str:
        """A lower-case UUID v4."""
        return self._unique(lambda: str(uuid.UUID(int=self._random.getrandbits(128), version=4)))

    def charge_permission_id(self, recurring: bool = False) -> str:
        """`S03-…` (OneTime) or `C03-…` (Recurring) in sandbox; `P`/`B` live."""
        letters = {(False, Environment.SANDBOX): "S", (False, Environment.LIVE): "P",
                   (True, Environment.SANDBOX): "C", (True, Environment.LIVE): "B"}
        return self._unique(lambda: self._reference(letters[(recurring, self.environment)]))

    def charge_id(self, charge_permission_id: str, recurring: bool = False) -> str:
        """`<permission id>-C######`; a Recurring charge gets a fresh `S03-…` base (§1.1)."""
        def make() -> str:
            base = charge_permission_id
            if recurring:
                base = self._reference("S" if self.environment is Environment.SANDBOX else "P")
            return f"{base}-C{self._digits(6)}"
        return self._unique(make)

    def refund_id(self, charge_id: str) -> str:
        """The charge's base with `-R######` (§1.1)."""
        base = charge_id.rsplit("-C", 1)[0]
        return self._unique(lambda: f"{base}-R{self._digits(6)}")

    def buyer_id(self) -> str:
        """`amzn1.account.` followed by 28 base32 characters."""
        return self._unique(
            lambda: "amzn1.account." + "".join(self._random.choice(_BASE32) for _ in range(28))
        )

    def store_id(self) -> str:
        """A Login with Amazon client id, `amzn1.application-oa2-client.<32 hex>`."""
        return self._unique(
            lambda: f"amzn1.application-oa2-client.{self._random.getrandbits(128):032x}"
        )

    def request_id(self) -> str:
        """A value for the `x-amz-pay-request-id` response header (on every answer: formatted by hand,
        exactly as `str(uuid.UUID(int=bits, version=4))` would be, without building the UUID)."""
        text = f"{self._request_random.getrandbits(128) & _UUID4_KEEP | _UUID4_SET:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def _reference(self, letter: str) -> str:
        return f"{letter}{self.region.code}-{self._digits(7)}-{self._digits(7)}"

    def _digits(self, count: int) -> str:
        return "".join(str(self._random.randrange(10)) for _ in range(count))

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            candidate = make()
            if candidate not in self._issued:
                self._issued.add(candidate)
                return candidate
