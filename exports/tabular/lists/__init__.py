"""Every list docket shows, with its columns (:mod:`docket.exports.tabular.columns`), on the
command line (``docket ... list`` and Today) and in the app, side by side; a module per
area, as the models are grouped.

A list's ``cli`` columns are the table a command prints (headed by the JSON keys, as the
README documents) and, where the command writes them, its CSV; its ``app`` table is the
screen's. The app's headings are words, its dates shorter on a narrow terminal.
"""

from __future__ import annotations

from importlib import import_module

from docket.exports.tabular.columns import Listing

AREAS = (
    "people",
    "actions",
    "milestones",
    "meetings",
    "comms",
    "governance",
    "contractors",
    "sourcing",
    "portfolio",
    "selection",
    "performance",
    "today",
)


def every_list() -> dict[str, Listing]:
    """Every list by ``area.NAME``, for the checks that hold them all to the same rules
    (each area is imported only here: a command imports the one it shows)."""
    found: dict[str, Listing] = {}
    for area in AREAS:
        module = import_module(f"{__name__}.{area}")
        for name, value in vars(module).items():
            if isinstance(value, Listing):
                found[f"{area}.{name}"] = value
    return found
