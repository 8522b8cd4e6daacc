"""A demo program office: a city IT department's portfolio, the same for the same seed.

``small`` is for trying docket; ``large`` is the scale docket is built for (20 programs,
2,000 people, 100,000 action items, 5,000 meetings of which 500 weekly series, 2,000
milestones, 300 comms plan items, 1,000 assignments, 100 contracts with expenditures), for
feeling and measuring the app at that size.

The office's tables are data (:mod:`~docket.models.demo.data_office`,
:mod:`~docket.models.demo.data_schedule`, :mod:`~docket.models.demo.data_work`); one module
builds each area from them (people, programs, contractors, milestones, meetings, comms,
actions, governance), all drawing from one random source in the fixed order below, so the
same seed on the same clock gives byte-identical data. What the office chooses (proposals,
solicitations, scorecards: :mod:`~docket.models.demo.choosing`) comes last, from a random
source of its own, so it changed nothing of the rest. Everything is written in one
transaction by prepared bulk inserts, and every record gets its audited ``create`` entry
(:mod:`~docket.models.demo.storage`), so history and ``docket check`` work on the demo.
"""

from __future__ import annotations

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.schema import Record, UserAccount, database
from docket.models.core.tables import TABLES
from docket.models.demo.actions import actions
from docket.models.demo.choosing import CHOOSING_ORDER, choosing
from docket.models.demo.comms import comms
from docket.models.demo.contractors import assignments, contracts_and_spend, vendors
from docket.models.demo.governance import governance
from docket.models.demo.history import audit_with_history
from docket.models.demo.meetings import meetings
from docket.models.demo.milestones import milestones
from docket.models.demo.office import Office, Scale
from docket.models.demo.people import groups, people
from docket.models.demo.programs import programs

SIZES = {
    "small": Scale(6, 60, 400, 40, 10, 40, 20, 40, 10, 6),
    "large": Scale(20, 2000, 100_000, 5000, 500, 2000, 300, 1000, 100, 24),
    # ten times the large demo's action items, the rest as large: for measuring at a million
    "xl": Scale(20, 2000, 1_000_000, 5000, 500, 2000, 300, 1000, 100, 24),
}
# what each size chooses among (proposals, solicitations) is the large office's at xl
CHOOSING_AS = {"xl": "large"}

# the counts build_demo returns, in the order a reader takes in an office
ORDER = (
    "programs",
    "people",
    "groups",
    "group members",
    "vendors",
    "contracts",
    "expenditures",
    "assignments",
    "milestones",
    "milestone dependencies",
    "meetings",
    "attendees",
    "occurrence changes",
    "minutes",
    "decisions at meetings",
    "comms items",
    "comms audiences",
    "comms log entries",
    "action items",
    "risks",
    "risk assessments",
    "issues",
    "decisions",
    "change requests",
    "budget lines",
    "costs",
    "metrics",
    "measurements",
    *CHOOSING_ORDER,
)


def _build(office: Office, size: str, seed: int) -> dict[str, int]:
    """Every table, parents first (the order of the random draws: do not reorder), then the
    audit entries and the acting account's link to person 1, then choosing (its own random
    source, its own audit entries after those); counts by table."""
    counts = {"people": people(office), "programs": programs(office)}
    counts["vendors"] = vendors(office)
    counts["groups"], counts["group members"] = groups(office)
    counts["contracts"], counts["expenditures"] = contracts_and_spend(office)
    counts["assignments"] = assignments(office)
    counts["milestones"], counts["milestone dependencies"] = milestones(office)
    counts.update(meetings(office))
    counts["comms items"], counts["comms audiences"], counts["comms log entries"] = comms(office)
    counts["action items"] = actions(office)
    counts.update(governance(office))
    audit_with_history(office, seed)
    _link_account(office.ctx)
    counts.update(choosing(office, CHOOSING_AS.get(size, size), seed))
    return {name: counts[name] for name in ORDER}


def _link_account(ctx: Context) -> None:
    """The acting account's user record points at person 1, so "my" items exist (an
    ordinary audited update)."""
    account = UserAccount.get_or_none(UserAccount.account == ctx.actor)
    if account is not None:
        records.update(ctx, account, account.version, person=1)


def _holds_data() -> bool:
    """Whether any record other than the user accounts ``docket init`` makes exists."""
    kinds = [m for m in TABLES if issubclass(m, Record) and m is not UserAccount]
    return any(model.select().exists() for model in kinds)


def _where() -> str:
    name = str(getattr(database.obj, "database", "") or "")
    return name if name and name != ":memory:" else "this one"


def build_demo(ctx: Context, *, size: str = "small", seed: int = 1) -> dict[str, int]:
    """Fill an empty, initialised database with a demo office; how many of each record.

    Refuses a database that already holds records (it would mix demo data into real work)
    and then writes nothing. Same ``seed`` and same clock: the same data, byte for byte.
    """
    scale = SIZES.get(size)
    if scale is None:
        raise ValidationError("size", f"expected small, large or xl, got {size!r}")
    with write():
        if _holds_data():
            raise DocketError(f"demo needs an empty database; {_where()} already holds data")
        return _build(Office(ctx, scale, seed), size, seed)
