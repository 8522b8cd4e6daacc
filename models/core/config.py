"""Where docket finds its settings and its database.

The database path comes from, in order: ``--db``, the ``DOCKET_DB`` environment variable,
the user's config file, the system-wide config file (written by ``docket init --shared``),
then the platform's user data directory. Config files are TOML; nothing is created when
this module is imported or a path is resolved.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

import platformdirs

from docket.models.core.errors import DatabaseError

APP = "docket"
SYSTEM_CONFIG = Path("/etc/docket/config.toml")


class MailSettings(NamedTuple):
    """How docket sends e-mail (the ``[mail]`` table of the config file).

    The password is never in the config: it comes from the environment variable named by
    ``password_env`` or from ``password_file``, which only its owner may read.
    """

    host: str | None = None
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password_env: str | None = None
    password_file: str | None = None
    # the From address of invites and digests (default: the organizer's)
    sender: str | None = None
    timeout: float = 30.0


class Config(NamedTuple):
    """Settings read from a config file; defaults when there is none."""

    db: str | None = None
    timezone: str | None = None
    day_first: bool = False
    # amounts written 12.500,50 (decimal_separator = ",") rather than 12,500.50
    decimal_comma: bool = False
    source: Path | None = None
    mail: MailSettings = MailSettings()
    # a vendor's scorecard is below target under this overall score (1 to 5) ...
    scorecard_below: float = 3.0
    # ... or with fewer than this % of its service levels met
    service_levels_below: float = 90.0
    # the office's discount rate for net present value, a fraction (0.03 is 3 %)
    discount_rate: Decimal = Decimal("0.03")
    # the evidence behind a program's colour (models/portfolio/evidence.py): red when a
    # milestone is late by more than this many days ...
    evidence_late_days: int = 14
    # ... or a milestone's forecast (or a late one's today) is more than this many days
    # past its baseline: re-forecasting every few weeks never hides a year's slip ...
    evidence_slip_days: int = 60
    # ... or the estimate at completion passes the budget by more than this %
    evidence_eac_over_percent: float = 10.0
    # amber when an open risk scores this or more (probability x impact) ...
    evidence_risk_score: int = 15
    # ... or a current contract has spent more than this % of its ceiling
    evidence_contract_percent: float = 90.0


_MAIL_TYPES: dict[str, tuple[type, ...]] = {
    "host": (str,),
    "port": (int,),
    "starttls": (bool,),
    "user": (str,),
    "password_env": (str,),
    "password_file": (str,),
    "sender": (str,),
    "timeout": (int, float),
}


def _mail(path: Path, table: object) -> MailSettings:
    """The ``[mail]`` table, each value checked for its type."""
    if table is None:
        return MailSettings()
    if not isinstance(table, dict):
        raise DatabaseError(f"config file {path}: [mail] must be a table")
    if "password" in table:
        raise DatabaseError(
            f"config file {path}: never put the SMTP password in the config; "
            "use password_env or password_file"
        )
    for key, value in table.items():
        expected = _MAIL_TYPES.get(key)
        if expected is None:
            raise DatabaseError(
                f"config file {path}: [mail] has no setting {key!r} "
                f"(known: {', '.join(_MAIL_TYPES)})"
            )
        if not isinstance(value, expected) or (expected == (int,) and isinstance(value, bool)):
            raise DatabaseError(f"config file {path}: mail {key} has the wrong type: {value!r}")
    return MailSettings(**table)


def _discount_rate(path: Path, value: object) -> Decimal:
    """``discount_rate``: a fraction (``0.03``) or a percentage as text (``"3 %"``), from 0
    to 100 %."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise DatabaseError(f"config file {path}: discount_rate must be a number such as 0.03")
    typed = str(value).strip()
    percent = typed.endswith("%")
    try:
        rate = Decimal(typed.rstrip("%").strip())
    except InvalidOperation:
        rate = Decimal("NaN")
    if percent:
        rate = rate / 100
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise DatabaseError(
            f"config file {path}: discount_rate must be from 0 to 1 (0.03) or 0 % to 100 %, "
            f"got {value!r}"
        )
    return rate


# the thresholds under which a vendor's scorecard is below target
_FLOORS = ("scorecard_below", "service_levels_below")
# the thresholds of the evidence behind a program's colour, with their defaults
_EVIDENCE: dict[str, float] = {
    "evidence_late_days": 14,
    "evidence_slip_days": 60,
    "evidence_eac_over_percent": 10.0,
    "evidence_risk_score": 15,
    "evidence_contract_percent": 90.0,
}


class Location(NamedTuple):
    """A resolved database path and where the choice came from (for messages)."""

    path: Path
    source: str


def user_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The user's config file: ``DOCKET_CONFIG`` or the platform's config directory."""
    env = os.environ if env is None else env
    if env.get("DOCKET_CONFIG"):
        return Path(env["DOCKET_CONFIG"])
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def system_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The system-wide config file (``DOCKET_SYSTEM_CONFIG`` overrides it for tests)."""
    env = os.environ if env is None else env
    return Path(env.get("DOCKET_SYSTEM_CONFIG") or SYSTEM_CONFIG)


def default_database_path() -> Path:
    """The database in the user's data directory, used when nothing else names one."""
    return Path(platformdirs.user_data_dir(APP)) / "docket.db"


def demo_database_path() -> Path:
    """The demo database in the user's data directory (``make run`` without a database)."""
    return Path(platformdirs.user_data_dir(APP)) / "demo.db"


def read_config(path: Path) -> Config | None:
    """The settings in one config file, or None when the file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise DatabaseError(f"cannot read config file {path}: permission denied") from exc
    except OSError as exc:  # a directory where the file should be, say
        raise DatabaseError(f"cannot read config file {path}: {exc.strerror}") from exc
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatabaseError(
            f"config file {path} is not UTF-8 text (at byte {exc.start + 1})"
        ) from exc
    # here, not above: most accounts have no config file, and the TOML reader's import is
    # some 8 million instructions of a short command's start-up (issue 22, cachegrind)
    import tomllib

    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise DatabaseError(f"config file {path} is not valid TOML: {exc}") from exc
    section = data.get("docket", data)
    db = section.get("db")
    timezone = section.get("timezone")
    order = section.get("date_order", "mdy")
    if db is not None and not isinstance(db, str):
        raise DatabaseError(f"config file {path}: db must be a path, got {db!r}")
    if timezone is not None and not isinstance(timezone, str):
        raise DatabaseError(f"config file {path}: timezone must be a name such as Europe/Paris")
    if order not in ("mdy", "dmy"):
        raise DatabaseError(f"config file {path}: date_order must be 'mdy' or 'dmy'")
    separator = section.get("decimal_separator", ".")
    if separator not in (".", ","):
        raise DatabaseError(f"config file {path}: decimal_separator must be '.' or ','")
    mail = _mail(path, data.get("mail", section.get("mail")))
    rate = section.get("discount_rate")
    floors = {k: section.get(k, 3.0 if k == "scorecard_below" else 90.0) for k in _FLOORS}
    for key, value in floors.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DatabaseError(f"config file {path}: {key} must be a number, got {value!r}")
    evidence = {k: section.get(k, default) for k, default in _EVIDENCE.items()}
    for key, value in evidence.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise DatabaseError(f"config file {path}: {key} must be a number >= 0, got {value!r}")
    return Config(
        db=db,
        timezone=timezone,
        day_first=order == "dmy",
        decimal_comma=separator == ",",
        source=path,
        mail=mail,
        discount_rate=Decimal("0.03") if rate is None else _discount_rate(path, rate),
        scorecard_below=float(floors["scorecard_below"]),
        service_levels_below=float(floors["service_levels_below"]),
        evidence_late_days=int(evidence["evidence_late_days"]),
        evidence_slip_days=int(evidence["evidence_slip_days"]),
        evidence_eac_over_percent=float(evidence["evidence_eac_over_percent"]),
        evidence_risk_score=int(evidence["evidence_risk_score"]),
        evidence_contract_percent=float(evidence["evidence_contract_percent"]),
    )


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """The user's config, falling back to the system one, then to defaults.

    A user's file that names no database (a time zone only, say) still leaves the
    database to the system config, which is how ``init --shared`` reaches everyone.
    """
    user = read_config(user_config_path(env))
    system = read_config(system_config_path(env))
    if user is None:
        return system or Config()
    if user.db is None and system is not None and system.db is not None:
        return user._replace(db=system.db, source=system.source)
    return user


def resolve_database(
    cli_path: str | None, env: Mapping[str, str] | None = None, config: Config | None = None
) -> Location:
    """Which database to open, and why: ``--db``, ``DOCKET_DB``, config, data directory."""
    env = os.environ if env is None else env
    if cli_path:
        return Location(Path(cli_path).expanduser(), "--db")
    if env.get("DOCKET_DB"):
        return Location(Path(env["DOCKET_DB"]).expanduser(), "DOCKET_DB")
    config = load_config(env) if config is None else config
    if config.db:
        return Location(Path(config.db).expanduser(), f"config file {config.source}")
    return Location(default_database_path(), "the user data directory")
