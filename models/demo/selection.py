"""What the demo's choosing builders share (:mod:`.choosing` runs them): the office, their
own random source, the accounts people score under, and the decisions they record."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from peewee import Model

from docket.models.core.schema import Decision
from docket.models.demo.data_office import PROGRAMS
from docket.models.demo.office import Office, ascii_letters
from docket.models.demo.storage import STAMP, Row, insert


@dataclass(frozen=True)
class ChoosingScale:
    """How much choosing a demo size has."""

    proposals: int
    roles: int
    scored_contracts: int


CHOOSING_SIZES = {"small": ChoosingScale(25, 6, 3), "large": ChoosingScale(400, 12, 6)}

# the columns of the decisions this builder adds to the RAID log
DECISION_COLUMNS = (
    "id", "program", "title", "rationale", "decided_by", "decided_on", "meeting",
    "occurrence_start", "entered_by",
)  # fmt: skip


@dataclass
class Choosing:
    """The state the choosing builders share: the office (read only), their own random
    source, the Unix accounts they give people, the decisions they record and the vendor
    whose performance is falling."""

    office: Office
    scale: ChoosingScale
    rng: random.Random
    accounts: dict[int, str] = field(default_factory=dict)
    decisions: list[Row] = field(default_factory=list)
    first_decision: int = 1
    declining_vendor: int | None = None
    # the audit notes of records whose entries say more than "demo data", by table and id
    notes: dict[type[Model], dict[int, str]] = field(default_factory=dict)

    def account(self, person: int) -> str:
        """The Unix account a person scores under: the acting account for person 1, else
        their first initial and last name (``mgarcia``), numbered when taken."""
        if person not in self.accounts:
            if person == 1:
                self.accounts[person] = self.office.ctx.actor
            else:
                first, *_, last = self.office.names[person].split()
                base = ascii_letters(first[0] + last)
                taken = set(self.accounts.values())
                name, n = base, 1
                while name in taken or name == self.office.ctx.actor:
                    n += 1
                    name = f"{base}{n}"
                self.accounts[person] = name
        return self.accounts[person]

    def decision(self, row: Row) -> int:
        """Write a decision (its columns after the id, then its stamp) at once, so the
        records that cite it can; its id."""
        did = self.first_decision + len(self.decisions)
        self.decisions.append((did, *row))
        insert(Decision, (*DECISION_COLUMNS, *STAMP), [(did, *row)])
        return did

    def program_name(self, program: int) -> str:
        """A program's name, from the office's catalogue."""
        return PROGRAMS[program - 1].name
