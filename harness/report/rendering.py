"""The one Jinja2 environment every page of the harness is rendered with: the living documentation and
the pages of `harness serve` (Seller Central's transaction view, Amazon's checkout page).

Templates live in `harness/report/templates/`: `base.html.j2` (the page, its inline CSS and the
English / Japanese toggle) and `macros.html.j2` (`t`, one text in both languages, and `view_table`,
the transaction view) are shared; autoescaping is on and an undefined name is an error.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

import jinja2

from harness.seller_central import JST

__all__ = ["render"]


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("harness.report", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(utc=_utc, jst=_jst, ms=_milliseconds, since=_since)
    return environment


def render(template: str, **context: object) -> str:
    """The HTML of `template` with `context`."""
    return _environment().get_template(template).render(**context)


def _utc(moment: str) -> str:
    return f"{datetime.fromisoformat(moment):%Y-%m-%d %H:%M:%S}"


def _jst(moment: str) -> str:
    return f"{datetime.fromisoformat(moment).astimezone(JST):%Y-%m-%d %H:%M:%S}"


def _since(moment: str, start: str | None) -> str:
    """`T+24:00:00` (under two days) or `T+180d 00:00:00` from the scenario's first moment."""
    if start is None:
        return ""
    seconds = int((datetime.fromisoformat(moment) - datetime.fromisoformat(start)).total_seconds())
    days, rest = divmod(seconds, 86400) if seconds >= 2 * 86400 else (0, seconds)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"T+{days}d {clock}" if days else f"T+{clock}"


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
