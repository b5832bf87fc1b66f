"""Every write of the filings app, one module per sub-domain (DESIGN rule 1)."""

from __future__ import annotations

from datetime import date
from typing import Any


def jsonable(value: Any) -> Any:
    """Audit summaries are JSON: dates become ISO strings, containers are walked."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
