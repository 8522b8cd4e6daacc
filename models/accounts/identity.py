"""Who is acting: the Unix account of the process, never an environment variable; on
PostgreSQL the session user the server authenticated.

``USER`` and ``LOGNAME`` can be set to anything; the effective uid cannot be, so the audit
log names the account that really made each change. On PostgreSQL the server decides who
a connection is (peer authentication maps it to the Unix account on the host), and its
audit trigger accepts no other name (:mod:`docket.models.core.engine_roles`).
"""

from __future__ import annotations

import os
import pwd
import sys


def current_account() -> str:
    """The session user when a PostgreSQL database is bound, else the name of the effective
    Unix account (its uid when it has no name)."""
    # the engine is loaded once a database is opened: before that nothing is bound; a
    # database closed since (a finished command's, in one process) is no session
    engine = sys.modules.get("docket.models.core.engine")
    if engine is not None and engine.is_postgres() and not engine.database.is_closed():
        from docket.models.core.engine_roles import session_user

        return session_user()
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"
