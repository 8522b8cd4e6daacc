"""A solicitation's evaluation committee: people with Unix accounts, each scoring under
their own account, each with any conflict of interest they declared.

A member is kept by account, because scores belong to the account that gives them (as
audit entries do): ``ctx.actor`` is the only member an operation ever acts for.
"""

from __future__ import annotations

from typing import TypedDict

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import PermissionDenied, ValidationError
from docket.models.core.inputs import text
from docket.models.core.schema import Person, UserAccount
from docket.models.core.schema_selection import CommitteeMember, Solicitation
from docket.models.people.directory import find_person
from docket.models.sourcing.solicitations import find_solicitation, require_status


def account_of(person: Person) -> str:
    """The Unix account a person scores under: their own, or the one that stands for
    them; a person without one cannot sit on a committee."""
    if person.account:
        return str(person.account)
    user = (
        UserAccount.select()
        .where(UserAccount.person == person)
        .order_by(UserAccount.account)
        .first()
    )
    if user is None:
        raise ValidationError(
            "member",
            f"{person.name} has no Unix account, and a member scores under their own; "
            f"give one with 'docket person edit' (--account) or 'docket user add --person'",
        )
    return str(user.account)


def add_member(
    ctx: Context, solicitation: str | int, who: str, *, conflict: str = ""
) -> CommitteeMember:
    """Put a person with an account on the committee (until the evaluation starts)."""
    declared = text("conflict", conflict, required=False, max_length=2000)
    with write():
        found = find_solicitation(solicitation)
        require_status(found, ("draft", "issued"), "change its committee")
        person = find_person(who, field="member")
        account = account_of(person)
        if CommitteeMember.get_or_none(
            CommitteeMember.solicitation == found, CommitteeMember.account == account
        ):
            raise ValidationError(
                "member", f"{person.name} ({account}) is on the committee already"
            )
        return records.create(
            ctx,
            CommitteeMember,
            solicitation=found,
            person=person,
            account=account,
            conflict=declared,
        )


def remove_member(ctx: Context, solicitation: str | int, who: str) -> None:
    """Take a member off the committee (until the evaluation starts)."""
    with write():
        found = find_solicitation(solicitation)
        require_status(found, ("draft", "issued"), "change its committee")
        person = find_person(who, field="member")
        member = CommitteeMember.get_or_none(
            CommitteeMember.solicitation == found, CommitteeMember.person == person
        )
        if member is None:
            raise ValidationError(
                "member", f"{person.name} is not on the committee of {found.code}"
            )
        records.delete(ctx, member, member.version)


def members_of(found: Solicitation) -> list[CommitteeMember]:
    """The committee, by account."""
    return list(
        CommitteeMember.select()
        .where(CommitteeMember.solicitation == found)
        .order_by(CommitteeMember.account)
    )


def acting_member(ctx: Context, found: Solicitation) -> CommitteeMember:
    """The committee member the acting account is; anyone else is refused, so nobody
    scores, commits or reveals for someone else."""
    member = CommitteeMember.get_or_none(
        CommitteeMember.solicitation == found, CommitteeMember.account == ctx.actor
    )
    if member is None:
        raise PermissionDenied(
            f"your account {ctx.actor} is not on the committee of {found.code}; only its "
            "members score, each under their own account"
        )
    return member


def declare_conflict(ctx: Context, solicitation: str | int, conflict: str) -> CommitteeMember:
    """The acting member declares a conflict of interest (or clears it with ''); it is shown
    with the evaluation and the award."""
    declared = text("conflict", conflict, required=False, max_length=2000)
    with write():
        found = find_solicitation(solicitation)
        require_status(found, ("draft", "issued", "evaluating"), "declare a conflict")
        member = acting_member(ctx, found)
        return records.update(ctx, member, member.version, conflict=declared)


class MemberFacts(TypedDict):
    """A committee member: who, their account, conflict declared, whether they committed."""

    person: str
    account: str
    conflict: str
    committed: bool
    commitment: str


def member_facts(found: Solicitation) -> list[MemberFacts]:
    """The committee as plain data (a commitment is a hash: it tells nothing of the scores)."""
    return [
        {
            "person": m.person.name,
            "account": m.account,
            "conflict": m.conflict,
            "committed": bool(m.commitment),
            "commitment": m.commitment,
        }
        for m in members_of(found)
    ]
