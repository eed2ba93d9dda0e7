"""Seller Central: the transaction view (取引管理画面) of a simulator and its operator's actions.

`view` builds the rows, `projection` reads each row's status from the simulator's causes, and
`operator` is what the operator's buttons do.
"""

from harness.seller_central.projection import TransactionStatus
from harness.seller_central.view import COLUMNS, JST, SellerCentral, TransactionRow

__all__ = ["COLUMNS", "JST", "SellerCentral", "TransactionRow", "TransactionStatus"]
