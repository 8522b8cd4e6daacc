"""The demo's vendors, their contracts and invoices, and the contractors assigned to them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from docket.models.core.schema import Assignment, Contract, Expenditure, Vendor
from docket.models.demo.data_office import CONTRACT_SERVICES, VENDORS
from docket.models.demo.office import ContractFacts, Office, ascii_letters
from docket.models.demo.storage import STAMP, Row, insert


def vendors(office: Office) -> int:
    """Vendor companies; the contact is the first of their people the city knows."""
    rows = []
    for vid, name in enumerate(office.vendor_names, start=1):
        people = [p for p in office.contractors if office.organization[p] == name]
        if people:
            office.vendor_contact[vid] = people[0]
        domain = ascii_letters(name.split()[0])
        rows.append(
            (
                vid,
                name,
                people[0] if people else None,
                f"Invoices to billing@{domain}.example; account reviews quarterly.",
                *office.stamp(office.days_ago(720, 800)),
            )
        )
    return insert(Vendor, ("id", "name", "contact", "contact_note", *STAMP), rows)


def contracts_and_spend(office: Office) -> tuple[int, int]:
    """Contracts across the year (some near their ceiling, some ending soon) and invoices."""
    columns = ("id", "vendor", "number", "title", "program", "start", "end", "ceiling")
    numbers = office.rng.sample(range(100, 1000), office.scale.contracts)
    contracts, spend = [], []
    for cid in range(1, office.scale.contracts + 1):
        vendor, program = _vendor_and_program(office, cid)
        start = office.today - timedelta(days=office.rng.randint(30, 700))
        end = start + timedelta(days=office.rng.choice((365, 540, 730, 1095)))
        if cid % 6 == 0:  # ends within the next few weeks
            end = max(start, office.today + timedelta(days=office.rng.randint(5, 45)))
        ceiling = Decimal(office.rng.randint(8, 120) * 25_000)
        if office.specs[program - 1].code == "ERP" and cid % 3 == 0:
            ceiling *= 4
        service = office.rng.choice(CONTRACT_SERVICES)
        contracts.append(
            (
                cid,
                vendor,
                f"C-{start.year}-{numbers[cid - 1]:04d}",
                f"{office.specs[program - 1].name}: {service}",
                program,
                start,
                end,
                ceiling,
                "USD",
                *office.stamp(office.at(start, 11)),
            )
        )
        facts = ContractFacts(cid, vendor, program, start, end)
        office.contracts.append(facts)
        office.program_vendors[program].append(vendor)
        spend += _expenditures(office, facts, ceiling, near_ceiling=cid % 5 == 1)
    return (
        insert(Contract, (*columns, "currency", *STAMP), contracts),
        insert(Expenditure, ("contract", "date", "amount", "invoice_ref", *STAMP), spend),
    )


def _vendor_and_program(office: Office, cid: int) -> tuple[int, int]:
    """Every vendor gets a contract first; then programs pick vendors that serve them."""
    if cid <= len(office.vendor_names):
        vendor = cid
        serves = [office.program_id[c] for c in VENDORS[vendor - 1][1] if c in office.program_id]
        return vendor, office.rng.choice(serves) if serves else office.pick_leaf()
    program = office.pick_leaf()
    code = office.specs[program - 1].code
    able = [
        vid
        for vid, (_, serves) in enumerate(VENDORS[: office.scale.vendors], start=1)
        if code in serves or not serves
    ]
    return office.rng.choice(able), program


def _expenditures(
    office: Office, contract: ContractFacts, ceiling: Decimal, *, near_ceiling: bool
) -> list[Row]:
    """Monthly invoices to date; their total is a share of the ceiling, exact to the cent."""
    last = min(office.today - timedelta(days=1), contract.end)
    dates = []
    day = contract.start + timedelta(days=30)
    while day <= last:
        dates.append(day)
        day += timedelta(days=30)
    if not dates:
        return []
    length = max(30, (contract.end - contract.start).days)
    if near_ceiling:
        per_mille = office.rng.randint(900, 985)
    else:
        elapsed = 1000 * (last - contract.start).days // length
        per_mille = min(950, elapsed * office.rng.randint(55, 105) // 100)
    total = int(ceiling * 100) * per_mille // 1000
    weights = [office.rng.randint(70, 130) for _ in dates]
    cents = [total * w // sum(weights) for w in weights]
    cents[-1] += total - sum(cents)
    prefix = "".join(word[0] for word in office.vendor_names[contract.vendor - 1].split())
    return [
        (
            contract.id,
            day,
            Decimal(amount) / 100,
            f"INV-{prefix.upper()}-{day:%Y%m}-{office.rng.randint(1000, 9999)}",
            *office.stamp(office.at(day, 14)),
        )
        for day, amount in zip(dates, cents, strict=True)
    ]


def assignments(office: Office) -> int:
    """Contractors on their vendor's contracts; some overlap past 100 %, some end soon."""
    columns = ("person", "program", "contract", "role", "allocation", "start", "end", "rate")
    by_vendor: dict[int, list[ContractFacts]] = {}
    for c in office.contracts:
        by_vendor.setdefault(c.vendor, []).append(c)
    vendor_of = {name: vid for vid, name in enumerate(office.vendor_names, start=1)}
    people = office.rng.sample(office.contractors, len(office.contractors))
    firsts = min(len(people), office.scale.assignments * 3 // 4)
    earlier: dict[int, tuple[int, date, date]] = {}
    rows = []
    for n in range(office.scale.assignments):
        person = people[n] if n < firsts else office.rng.choice(people[:firsts])
        contract = office.rng.choice(by_vendor[vendor_of[office.organization[person]]])
        allocation, start, end = _assignment_terms(office, n, contract, earlier.get(person))
        earlier.setdefault(person, (allocation, start, end))
        office.assigned[contract.program].append(person)
        rows.append(
            (
                person,
                contract.program,
                contract.id,
                office.title[person].replace("Account Manager", "Project Manager"),
                allocation,
                start,
                end,
                Decimal(office.rng.randint(340, 960)) / 4,
                *office.stamp(min(office.now - timedelta(hours=1), office.at(start, 9))),
            )
        )
    return insert(Assignment, (*columns, *STAMP), rows)


def _assignment_terms(
    office: Office, n: int, contract: ContractFacts, first: tuple[int, date, date] | None
) -> tuple[int, date, date]:
    """Allocation, start and end; a second assignment often overlaps the first past 100 %."""
    if first is not None and office.rng.random() < 0.6:
        allocation = min(100, 110 - first[0] + office.rng.choice((0, 10, 20, 30)))
        return max(10, allocation), first[1], first[2]
    allocation = office.rng.choice((10, 20, 25, 30, 40, 50, 50, 60, 75, 80, 100, 100))
    start = max(contract.start, office.today - timedelta(days=office.rng.randint(0, 330)))
    if start > contract.end:
        start = contract.start
    end = min(contract.end, start + timedelta(days=office.rng.choice((90, 120, 180, 270, 365))))
    if n % 8 == 3 and start <= office.today:  # ends within the next 30 days
        end = office.today + timedelta(days=office.rng.randint(1, 29))
    return allocation, start, max(start, end)
