"""People and groups: finding a person from what was typed, and groups' members."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.models.core.context import Context
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.people import directory as people
from docket.models.people.groups import (
    add_group,
    add_members,
    groups_of,
    list_groups,
    members,
    remove_members,
)
from docket.models.people.persons import add_person

pytestmark = pytest.mark.both_engines


@pytest.fixture
def directory(db_path: Path, ctx: Context) -> Context:
    add_person(ctx, "Ana Lopez", email="Ana.Lopez@city.example", account="alopez")
    add_person(ctx, "Ana Ruiz", email="ana.ruiz@city.example")
    add_person(ctx, "Bo Chen", email="bo.chen@city.example", kind="contractor")
    return ctx


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("alopez", "Ana Lopez"),
        ("ana.lopez@CITY.example", "Ana Lopez"),
        ("@ana.lopez", "Ana Lopez"),
        ("ana l", "Ana Lopez"),
        ("lopez", "Ana Lopez"),
        ("#3", "Bo Chen"),
        ("chen", "Bo Chen"),
    ],
)
def test_a_person_is_found_from_what_people_type(directory: Context, typed: str, name: str) -> None:
    assert people.find_person(typed).name == name


def test_an_unknown_or_ambiguous_person_is_a_clear_error(directory: Context) -> None:
    with pytest.raises(NotFoundError, match="person: nobody matches 'zed'"):
        people.find_person("zed")
    with pytest.raises(
        ValidationError,
        match=r"'ana' matches 2 people: Ana Lopez <Ana.Lopez@city.example> \(#1\), "
        r"Ana Ruiz <ana.ruiz@city.example> \(#2\); give their e-mail or #id",
    ):
        people.find_person("ana")


def test_email_and_account_are_unique_without_case(directory: Context) -> None:
    with pytest.raises(
        ValidationError, match=r"email: ana.lopez@city.example already belongs to Ana Lopez"
    ):
        add_person(directory, "Someone", email="ana.lopez@city.example")
    with pytest.raises(ValidationError, match="email: expected an address"):
        add_person(directory, "Someone", email="not-an-address")


def test_groups_gain_and_lose_members(directory: Context) -> None:
    add_group(directory, "ERP steering committee", members=["alopez", "bo"])
    add_members(directory, "erp steering committee", ["ana ruiz", "alopez"])
    remove_members(directory, "ERP steering committee", ["bo"])
    assert [p.name for p in members("ERP steering committee")] == ["Ana Lopez", "Ana Ruiz"]
    assert [(g.name, n) for g, n in list_groups()] == [("ERP steering committee", 2)]
    with pytest.raises(
        ValidationError, match="a group named 'ERP steering committee' already exists"
    ):
        add_group(directory, "erp Steering Committee")


def test_people_are_listed_a_page_at_a_time_with_a_count(directory: Context) -> None:
    assert [p.name for p in people.list_people(limit=2)] == ["Ana Lopez", "Ana Ruiz"]
    assert [p.name for p in people.list_people(limit=2, offset=2)] == ["Bo Chen"]
    assert people.count_people() == 3
    assert people.count_people("city.example") == 3
    assert people.count_people("ana") == 2
    assert people.count_people("ana", kind="contractor") == 0
    assert people.count_people("100%") == 0


def test_a_persons_groups_are_listed_by_name(directory: Context) -> None:
    add_group(directory, "Vendors", members=["bo"])
    add_group(directory, "ERP steering committee", members=["alopez", "bo"])
    bo = people.find_person("bo")
    assert [g.name for g in groups_of(bo.id)] == ["ERP steering committee", "Vendors"]
    assert groups_of(people.find_person("ana ruiz").id) == []
