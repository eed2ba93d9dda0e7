"""The one root of every error the harness raises on purpose: `HarnessError`.

A user catches `harness.HarnessError` to handle anything the harness refuses (a bad scenario file, a
step that cannot be taken, an operation the simulated Amazon Pay rejects) apart from bugs.
"""

from __future__ import annotations

__all__ = ["HarnessError"]


class HarnessError(Exception):
    """Something the harness refused, with a message that says what and, where it can, the fix."""
