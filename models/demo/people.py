"""The demo's people and groups: city staff, department stakeholders and vendor contractors,
then each program's steering committee and product team and the office-wide lists."""

from __future__ import annotations

from docket.models.core.schema import Group, GroupMember, Person
from docket.models.demo.data_office import (
    CONTRACTOR_TITLES,
    CONTRACTOR_ZONES,
    DEPARTMENTS,
    FIRST_NAMES,
    HOME_ZONE,
    LAST_NAMES,
    STAFF_TITLES,
    STAKEHOLDER_TITLES,
)
from docket.models.demo.office import Office, ascii_letters
from docket.models.demo.storage import STAMP, insert


def people(office: Office) -> int:
    """Staff, stakeholders and contractors; person 1 is the acting account's person."""
    columns = (
        "id",
        "name",
        "email",
        "organization",
        "title",
        "phone",
        "timezone",
        "kind",
        "account",
        *STAMP,
    )
    taken: set[str] = set()
    rows = []
    for pid in range(1, office.scale.people + 1):
        kind, organization, title = _role(office, pid)
        first, last = office.rng.choice(FIRST_NAMES), office.rng.choice(LAST_NAMES)
        office.names.append(f"{first} {last}")
        {
            "staff": office.staff,
            "stakeholder": office.stakeholders,
            "contractor": office.contractors,
        }[kind].append(pid)
        office.organization[pid], office.title[pid] = organization, title
        if kind == "stakeholder" and title == "Director":
            office.directors.append(pid)
        rows.append(
            (
                pid,
                f"{first} {last}",
                _email(office, first, last, taken),
                organization,
                title,
                _phone(office, kind),
                _timezone(office, kind),
                kind,
                office.ctx.actor if pid == 1 else None,
                *office.stamp(office.days_ago(800, 1500)),
            )
        )
    return insert(Person, columns, rows)


def _role(office: Office, pid: int) -> tuple[str, str, str]:
    """kind, organization and title of a person; the first three hold fixed posts."""
    fixed = {
        1: "Associate Program Administrator",
        2: "Chief Information Officer",
        3: "Director, Program Management Office",
    }
    if pid in fixed:
        return "staff", "City IT", fixed[pid]
    kind = office.rng.choices(("staff", "stakeholder", "contractor"), (30, 35, 35))[0]
    if kind == "staff":
        return kind, "City IT", office.rng.choice(STAFF_TITLES)
    if kind == "stakeholder":
        return kind, office.rng.choice(DEPARTMENTS), office.rng.choice(STAKEHOLDER_TITLES)
    return kind, office.rng.choice(office.vendor_names), office.rng.choice(CONTRACTOR_TITLES)


def _email(office: Office, first: str, last: str, taken: set[str]) -> str:
    """first.last@city.example, numbered from 2 when the name is taken."""
    local = f"{ascii_letters(first)}.{ascii_letters(last)}"
    candidate, n = local, 1
    while candidate in taken:
        n += 1
        candidate = f"{local}{n}"
    taken.add(candidate)
    return f"{candidate}@city.example"


def _phone(office: Office, kind: str) -> str | None:
    """A Chicago desk number; some contractors give none."""
    if kind == "contractor" and office.rng.random() < 0.4:
        return None
    return f"(312) 555-{office.rng.randrange(100, 200):04d}"


def _timezone(office: Office, kind: str) -> str:
    """Chicago for city people; contractors mostly too, some in other zones."""
    if kind != "contractor":
        return HOME_ZONE
    zones = [zone for zone, _ in CONTRACTOR_ZONES]
    return office.rng.choices(zones, [weight for _, weight in CONTRACTOR_ZONES])[0]


def groups(office: Office) -> tuple[int, int]:
    """Each program's steering committee and product team, and office-wide lists."""
    lists: dict[str, tuple[str, list[int]]] = {}
    leaders = [p for p in office.staff if p > 3]
    for pid in office.leaves:
        code, owner = office.specs[pid - 1].code, office.owner[pid]
        steering = [owner, 2, 1, *office.sample(office.stakeholders, 4, 8)]
        team = [owner, 1, *office.sample(leaders, 3, 6), *office.sample(office.contractors, 2, 5)]
        office.steering[pid] = list(dict.fromkeys(steering))
        office.team[pid] = list(dict.fromkeys(team))
        lists[f"{code} steering committee"] = (
            f"Sponsors and department heads who decide for {office.specs[pid - 1].name}",
            office.steering[pid],
        )
        lists[f"{code} product team"] = (
            f"Everyone building {office.specs[pid - 1].name}, city and vendor",
            office.team[pid],
        )
    office.pmo = list(dict.fromkeys([3, 1, *office.sample(leaders, 3, 5)]))
    lists["IT leadership"] = ("CIO and IT directors", [2, 3, *office.sample(leaders, 4, 6)])
    lists["Program management office"] = ("The PMO: schedules, risks, reporting", office.pmo)
    heads: dict[str, int] = {}
    for person in office.directors:
        heads.setdefault(office.organization[person], person)
    lists["Department heads"] = (
        "Directors of the departments the programs serve",
        list(heads.values()) or office.sample(office.stakeholders, 4, 8),
    )
    lists["Vendor account managers"] = (
        "One contact at each vendor",
        list(office.vendor_contact.values()),
    )
    lists["Finance liaisons"] = (
        "Budget officers who review spend",
        [p for p in office.stakeholders if office.organization[p] == "Finance"][:8] or [2],
    )
    return _write_groups(office, lists)


def _write_groups(office: Office, lists: dict[str, tuple[str, list[int]]]) -> tuple[int, int]:
    """Insert the groups (by name: description and members) and their members; how many."""
    groups, members = [], []
    at = office.days_ago(250, 400)
    for gid, (name, (description, people)) in enumerate(lists.items(), start=1):
        office.group_id[name] = gid
        groups.append((gid, name, description, *office.stamp(at)))
        members += [(gid, p, *office.stamp(at)) for p in dict.fromkeys(people)]
    return (
        insert(Group, ("id", "name", "description", *STAMP), groups),
        insert(GroupMember, ("group", "person", *STAMP), members),
    )
