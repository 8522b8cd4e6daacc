"""The context every domain operation runs in: who acts, when, and in which zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import NamedTuple

from docket.models.core.clock import Clock, utcnow


class Context(NamedTuple):
    """The acting account, the clock and the user's zone, passed to every operation.

    The app and the command line each build one, with the clock they fixed from the
    environment at their start (``clock.from_environment``); tests build one with a fixed
    clock. Operations ask the context for "now", never the environment.
    """

    actor: str
    tz: tzinfo = UTC
    clock: Clock = utcnow
    day_first: bool = False
    # the office writes amounts 12.500,50 (the config's decimal_separator = ",")
    decimal_comma: bool = False

    def now(self) -> datetime:
        """The current instant, aware UTC."""
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def local_now(self) -> datetime:
        """The current wall-clock time in the user's zone, naive."""
        return self.now().astimezone(self.tz).replace(tzinfo=None)

    def today(self) -> date:
        """Today's date where the user is."""
        return self.now().astimezone(self.tz).date()
