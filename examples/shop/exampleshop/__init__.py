"""exampleshop: a small Flask shop that takes payments with Amazon Pay (Checkout v2, Japan).

It is written the way a merchant without an official Python SDK writes one: its own signed client
on `requests` (`amazon_pay.py`, `signing.py`), its orders in a SQL database through SQLAlchemy
(`models.py`, `db.py`), the payment logic in `payments.py`, the pages in `app.py`, the IPN endpoint's
SNS verification in `ipn.py` and the batch jobs in `jobs.py`. `adapter.py` is not part of the shop:
it is the harness's merchant adapter that drives it in tests.
"""

from exampleshop.app import create_app
from exampleshop.settings import Settings

__all__ = ["Settings", "create_app"]
