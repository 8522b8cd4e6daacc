"""The foundation every area stands on: the database and its schema, the one write path (records),
errors, the clock, configuration and the parsing of typed input.
"""

import sys as _sys

# peewee imports psycopg (70 ms, and ssl with it) at its own import whenever it is installed;
# docket needs it only for a postgresql:// URL, so peewee is imported here without it, and
# models/core/engine.py gives it psycopg when it connects to PostgreSQL (bind_psycopg).
if "peewee" not in _sys.modules and "psycopg" not in _sys.modules:
    _sys.modules["psycopg"] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        del _sys.modules["psycopg"]
