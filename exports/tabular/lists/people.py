"""The lists of programs, people, groups (and a group's members) and accounts."""

from __future__ import annotations

from docket.exports.tabular.columns import Column, Listing, Table, as_is

# the typed RAG, the one its evidence implies (docket.models.portfolio.evidence), the note
PROGRAMS = Listing(as_is("code name parent owner rag evidence rag_note", flexible="rag_note"))

PEOPLE = Listing(
    as_is("id name email organization title kind account"),
    Table(
        (
            Column("name", "Name", flexible=True, least=12),
            Column("email", "E-mail", 30, narrow=23),
            Column("organization", "Organization", 20, narrow=14),
            Column("title", "Title", 22, only="wide"),
            Column("kind", "Kind", 12),
            Column("account", "Account", 10, narrow=9),
        )
    ),
)

GROUPS = Listing(
    as_is("id name members description"),
    Table(
        (
            Column("name", "Group", flexible=True, least=12),
            # a count, flush right (the app draws it itself)
            Column("members", "Members", 8, right=True),
        )
    ),
)

# a group's members; in the app beside the groups, so wide from 70 cells
MEMBERS = Listing(
    as_is("id name email organization kind"),
    Table(
        (
            Column("name", "Name", flexible=True, least=12),
            Column("email", "E-mail", 28, narrow=23),
            Column("organization", "Organization", 16, only="wide"),
        ),
        wide_at=70,
    ),
)

USERS = Listing(as_is("account role person"))
