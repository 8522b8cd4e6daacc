"""Every table docket has, in the order they are created: the records of
:mod:`~docket.models.core.schema` and those of choosing (:mod:`.schema_selection`).
What walks all tables (the audit chain, history's names, the demo's bulk writer) reads
this, so a table added in either module is never missed."""

from __future__ import annotations

from peewee import Model

from docket.models.core.schema import TABLES as RECORD_TABLES
from docket.models.core.schema_selection import TABLES_V8

TABLES: tuple[type[Model], ...] = RECORD_TABLES + TABLES_V8
