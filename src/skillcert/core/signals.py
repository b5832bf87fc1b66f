"""Signal receivers that write audit events for authentication (S9)."""

from __future__ import annotations
