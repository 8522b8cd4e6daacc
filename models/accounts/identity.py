"""Who is acting: the Unix account of the process, never an environment variable.

``USER`` and ``LOGNAME`` can be set to anything; the effective uid cannot be, so the audit
log names the account that really made each change.
"""

from __future__ import annotations

import os
import pwd


def current_account() -> str:
    """The name of the effective Unix account (its uid when it has no name)."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"
