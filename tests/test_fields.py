"""The columns every record has (id, created and updated times, version) are copied into each
model shallowly rather than by peewee's deepcopy (start-up, issue 22): each copy must still be
that model's own field, bound to it, with its own list of constraints."""

from __future__ import annotations

import copy

from peewee import AutoField, IntegerField

from docket.models.core.schema import Person, Record
from docket.models.core.tables import TABLES

COMMON = ("id", "created_at", "updated_at", "version")


def test_every_record_has_its_own_copy_of_the_common_columns() -> None:
    models = [m for m in TABLES if issubclass(m, Record)]
    assert len(models) > 30
    for model in models:
        for name in COMMON:
            field = model._meta.fields[name]
            assert field is not Record._meta.fields[name]
            assert field.model is model and field.name == name
        assert model._meta.primary_key is model._meta.fields["id"]
        assert isinstance(model._meta.primary_key, AutoField)
        assert isinstance(model._meta.fields["version"], IntegerField)
        version = model._meta.fields["version"]
        assert version.constraints is not Record._meta.fields["version"].constraints


def test_the_copy_keeps_the_check_and_the_default() -> None:
    (check,) = Person._meta.fields["version"].constraints
    assert check.sql == "CHECK (version >= 1)"
    assert Person._meta.fields["version"].default == 1
    copied = copy.deepcopy(Person._meta.fields["version"])
    assert copied is not Person._meta.fields["version"]
    assert [id(c) for c in copied.constraints] == [id(check)]  # the same Check, shared
    assert copied.constraints is not Person._meta.fields["version"].constraints
