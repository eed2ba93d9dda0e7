"""The parameters many steps share, each with its kind and one-line doc (see `harness.vocabulary`)."""

from __future__ import annotations

from typing import Annotated

from harness.amazon_pay.states import ReasonCode
from harness.vocabulary.values import CARD, COUNT, OPTIONS, ORDER, REASON, Arg

__all__ = ["Card", "Reason", "TheOrder", "Times"]

TheOrder = Annotated[str | None, Arg(ORDER, "the order it acts on; absent: the current order")]
NewOrder = Annotated[str | None, Arg(ORDER, "the new order's name; absent: 'the order'")]
Card = Annotated[str, Arg(CARD, "the sandbox test card's last four digits (default 1111)")]
Times = Annotated[int, Arg(COUNT, "how many times (default 1)")]
Reason = Annotated[ReasonCode, Arg(REASON, "the decline's reason code")]
CheckoutOptions = Annotated[dict[str, object] | None, Arg(OPTIONS, "the checkout's options")]
