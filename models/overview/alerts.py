"""A line of the Today view's alerts, shared by the areas that raise them."""

from __future__ import annotations

from typing import TypedDict


class Alert(TypedDict):
    """A line of the Today view's alerts: its kind, its words, and in how many days."""

    kind: str
    text: str
    days: int
