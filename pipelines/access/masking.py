"""Masking of personal data: what a name, an address or an ID number shows until a user who may
see it opens it. The read side masks with these; the pages show the same masks."""

from __future__ import annotations

import re


def mask_id(value: str | None) -> str:
    """NIK / No KK with only the first 6 and last 4 digits shown: 617101******0001."""
    if not value:
        return "-"
    value = str(value)
    return value[:6] + "*" * max(0, len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """'Siti Aminah' -> 'S*** A*****': enough to tell rows apart, not to identify."""
    if not value:
        return "-"
    return " ".join(w[0] + "*" * max(2, len(w) - 1) for w in str(value).split())


def mask_address(value: str | None) -> str:
    """Keep the street kind, hide the rest: 'Jl. Merdeka No. 5' -> 'Jl. ***'."""
    if not value:
        return "-"
    m = re.match(r"^\s*(jl\.?|jalan|gg\.?|gang|komp\.?|komplek|perum\.?)\s", str(value), re.I)
    return f"{m.group(1)} ***" if m else "***"
