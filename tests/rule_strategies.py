"""Random daily and weekly repeat rules (RFC 5545), for the property tests that compare
docket's own walk of a rule (models/meetings/rule_walk.py) and a cadence's due day
(models/comms/cadence.py) with dateutil's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def daily_or_weekly(
    draw: st.DrawFn, *, since: int = 2010, years: int = 20, week_start: bool = True
) -> str:
    """A DAILY or WEEKLY rule: an interval, weekdays, an UNTIL from ``since`` within
    ``years`` or a COUNT, and (``week_start``) WKST=MO, its parts in any order."""
    parts = [f"FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY']))}"]
    interval = draw(st.integers(1, 5))
    if interval > 1 or draw(st.booleans()):
        parts.append(f"INTERVAL={interval}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    end = draw(st.sampled_from(["", "until", "count"]))
    if end == "until":
        moment = datetime(since, 1, 1, tzinfo=UTC) + timedelta(
            minutes=draw(st.integers(0, years * 366 * 1440))
        )
        parts.append(f"UNTIL={moment:%Y%m%dT%H%M%SZ}")
    elif end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    if week_start and draw(st.booleans()):
        parts.append("WKST=MO")
    order = draw(st.permutations(parts[1:]))
    return ";".join([parts[0], *order])
