"""Regenerate the decision table of docs/fidelity.md: `python -m harness.fidelity [PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path

from harness.amazon_pay.decisions import update_fidelity_doc


def main(argv: list[str]) -> None:
    """Rewrite the generated part of the fidelity document in place."""
    target = Path(argv[0] if argv else "docs/fidelity.md")
    target.write_text(update_fidelity_doc(target.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
