"""The shop's settings: read from the environment in production, built directly in tests."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

__all__ = ["DEFAULT_SHIPPING", "Settings"]

DEFAULT_SHIPPING: Mapping[str, int] = {"北海道": 1000, "沖縄県": 1500}
"""Shipping fee by prefecture (yen); every other prefecture pays `Settings.shipping_default`
(送料無料、北海道・沖縄県を除く)."""


@dataclass(frozen=True)
class Settings:
    """Everything the shop needs to know about its environment."""

    public_key_id: str
    private_key_pem: str
    store_id: str
    merchant_id: str = "EXAMPLESHOP"
    region: str = "jp"
    sandbox: bool = True
    algorithm: str = "AMZN-PAY-RSASSA-PSS-V2"
    database_url: str = "sqlite://"
    shop_url: str = "https://shop.example"
    api_base_url: str | None = None
    """Send Amazon Pay calls here instead of https://pay-api.amazon.jp (a local simulator; signed for
    Amazon's host all the same), as the SDKs' override service URL does."""
    shop_name: str = "Example Shop"
    shipping_by_prefecture: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SHIPPING))
    shipping_default: int = 0
    free_shipping_from: int | None = None
    """Orders whose subtotal reaches this amount ship free (None: never)."""
    recover_checkouts_after: timedelta = timedelta(minutes=5)
    """The reconciliation job completes a checkout still Open this long after it started (the buyer paid
    but never came back to the result page); younger ones may still be on Amazon's page."""
    retries: int = 3
    """How often a call is sent again after a timeout or a 5xx/429 answer (as the PHP and Java SDKs)."""
    sns_trusted_ca_pem: str | None = None
    """Test-only: a CA the SNS signing certificate must chain to (production trusts TLS to the SNS host)."""
    sns_certificate_base: str | None = None
    """Test-only: download the SNS signing certificate's path from here (a local simulator serving it)
    instead of its SigningCertURL; the URL itself is still checked."""
    secret_key: str = "dev-only-secret"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Settings from `EXAMPLESHOP_*` variables (the private key as PEM text or a file path)."""
        key = environ["EXAMPLESHOP_PRIVATE_KEY"]
        if not key.lstrip().startswith("-----BEGIN"):
            with open(key, encoding="ascii") as pem:
                key = pem.read()
        return cls(public_key_id=environ["EXAMPLESHOP_PUBLIC_KEY_ID"], private_key_pem=key,
                   store_id=environ["EXAMPLESHOP_STORE_ID"],
                   region=environ.get("EXAMPLESHOP_REGION", "jp"),
                   sandbox=environ.get("EXAMPLESHOP_SANDBOX", "true").lower() != "false",
                   algorithm=environ.get("EXAMPLESHOP_ALGORITHM", "AMZN-PAY-RSASSA-PSS-V2"),
                   database_url=environ.get("EXAMPLESHOP_DATABASE_URL", "sqlite:///exampleshop.db"),
                   shop_url=environ.get("EXAMPLESHOP_URL", "http://127.0.0.1:5000"),
                   secret_key=environ.get("EXAMPLESHOP_SECRET_KEY", "dev-only-secret"))
