"""The tables: one Peewee model per entity docket holds (a program, a person, a meeting...).

Every record has ``id``, ``created_at``, ``updated_at`` and ``version`` (optimistic
concurrency: a write names the version it read). Date-times are UTC; plain dates are
``YYYY-MM-DD``. Constraints the data has live here as SQL (unique, check, foreign keys), so
a bug in an operation cannot store what the domain forbids. Derived values (milestone
status, slip, next due, allocation, burn) are never columns.
"""

from __future__ import annotations

from typing import Any

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    Check,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from docket.models.core.clock import utcnow
from docket.models.core.fields import (
    DayField,
    MoneyField,
    RecordIdField,
    UTCDateTimeField,
    VersionField,
)

database = DatabaseProxy()


def sql_list(values: tuple[str, ...]) -> str:
    """Constant strings as an SQL list, ``('a', 'b')``: the values are ours, never a user's."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _one_of(column: str, values: tuple[str, ...]) -> Any:
    return Check(f"{column} IN {sql_list(values)}")


RAG = ("green", "amber", "red")
PERSON_KINDS = ("staff", "stakeholder", "contractor")
ROLES = ("admin", "editor", "viewer")
PRIORITIES = ("low", "normal", "high", "urgent")
ACTION_STATUSES = ("open", "in progress", "blocked", "done", "cancelled")
OPEN_ACTION_STATUSES = ("open", "in progress", "blocked")
MEETING_STATUSES = ("confirmed", "tentative", "cancelled")
ATTENDEE_ROLES = ("chair", "required", "optional")
RESPONSES = ("needs action", "accepted", "declined", "tentative")
CHANNELS = ("e-mail", "meeting", "report", "dashboard", "newsletter", "other")
DIGEST_KINDS = ("status", "milestones", "actions", "contracts")
INVITE_METHODS = ("REQUEST", "CANCEL")
# what became of one recipient's copy of an invite: a file was written for someone to send
# (exported), the SMTP server accepted that recipient (sent), or it refused them (refused)
DELIVERY_STATES = ("exported", "sent", "refused")
# how a communication was logged: sent by docket's SMTP, marked sent by hand (the person
# says they sent it), or only written to a file (which does not count as sent)
COMMS_LOG_HOW = ("sent", "by hand", "exported")
RISK_STATUSES = ("open", "mitigating", "closed", "occurred")
ISSUE_SEVERITIES = ("low", "medium", "high", "critical")
ISSUE_STATUSES = ("open", "in progress", "resolved", "closed")
CHANGE_KINDS = ("scope", "schedule", "cost", "resources")
CHANGE_STATUSES = ("proposed", "approved", "rejected", "implemented")
BUDGET_KINDS = ("capital", "operating")
METRIC_DIRECTIONS = ("higher", "lower")
# what a decision can affect: (entity, table) pairs of DecisionLink.entity
LINKABLE = ("action_item", "milestone", "risk", "issue", "change_request", "meeting")


class Record(Model):
    """Columns every record has."""

    id = RecordIdField()
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)
    version = VersionField(default=1, constraints=[Check("version >= 1")])

    class Meta:
        database = database
        legacy_table_names = False


class Meta(Model):
    """Facts about the database itself, such as its schema version."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        database = database
        table_name = "docket_meta"


class Person(Record):
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    email = CharField(null=True)
    organization = CharField(null=True)
    title = CharField(null=True)
    phone = CharField(null=True)
    timezone = CharField(null=True)
    kind = CharField(default="staff", constraints=[_one_of("kind", PERSON_KINDS)])
    account = CharField(null=True, unique=True)

    class Meta:
        indexes = ((("name",), False),)


class Program(Record):
    code = CharField(
        unique=True,
        constraints=[Check("code GLOB '[A-Z0-9]*' AND length(code) BETWEEN 2 AND 12")],
    )
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    owner = ForeignKeyField(Person, null=True, backref="programs", on_delete="SET NULL")
    rag = CharField(default="green", constraints=[_one_of("rag", RAG)])
    rag_note = TextField(default="")
    objective = TextField(default="")


class Group(Record):
    name = CharField(unique=True, constraints=[Check("length(trim(name)) > 0")])
    description = TextField(default="")


class GroupMember(Record):
    group = ForeignKeyField(Group, backref="memberships", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("group", "person"), True),)


class UserAccount(Record):
    account = CharField(unique=True)
    person = ForeignKeyField(Person, null=True, backref="accounts", on_delete="SET NULL")
    role = CharField(default="editor", constraints=[_one_of("role", ROLES)])


class Meeting(Record):
    program = ForeignKeyField(Program, backref="meetings", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    agenda = TextField(default="")
    location = CharField(default="")
    link = CharField(default="")
    organizer = ForeignKeyField(Person, null=True, backref="organized", on_delete="SET NULL")
    # wall-clock start in the meeting's own zone; the UTC start of the first occurrence
    # is kept too, for ordering and range queries
    start_local = CharField(max_length=19)
    timezone = CharField()
    start_utc = UTCDateTimeField(index=True)
    duration_minutes = IntegerField(
        default=60, constraints=[Check("duration_minutes BETWEEN 1 AND 1440")]
    )
    rrule = TextField(default="")
    # for series: the UTC instant after which there are no occurrences (null: open-ended)
    until_utc = UTCDateTimeField(null=True)
    status = CharField(default="confirmed", constraints=[_one_of("status", MEETING_STATUSES)])
    uid = CharField(unique=True)
    sequence = IntegerField(default=0, constraints=[Check("sequence >= 0")])
    # an all-day meeting (schema version 6): start_local is midnight of its day, the
    # duration whole days; invites write DTSTART;VALUE=DATE
    all_day = BooleanField(default=False, constraints=[SQL("DEFAULT 0")])


class Attendee(Record):
    meeting = ForeignKeyField(Meeting, backref="attendees", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="attending", on_delete="CASCADE")
    role = CharField(default="required", constraints=[_one_of("role", ATTENDEE_ROLES)])
    response = CharField(default="needs action", constraints=[_one_of("response", RESPONSES)])

    class Meta:
        indexes = ((("meeting", "person"), True),)


class OccurrenceChange(Record):
    meeting = ForeignKeyField(Meeting, backref="changes", on_delete="CASCADE")
    original_start = UTCDateTimeField()
    new_start = UTCDateTimeField(null=True)
    new_duration_minutes = IntegerField(null=True)
    new_location = CharField(null=True)
    new_link = CharField(null=True)
    cancelled = BooleanField(default=False)
    # schema version 6: the occurrence's own title (a calendar's changed occurrence can have
    # one); null: the series' title
    new_title = CharField(null=True)

    class Meta:
        indexes = ((("meeting", "original_start"), True),)


class Minutes(Record):
    meeting = ForeignKeyField(Meeting, backref="minutes", on_delete="CASCADE")
    occurrence_start = UTCDateTimeField()
    notes = TextField(default="")
    attendance = TextField(default="")

    class Meta:
        indexes = ((("meeting", "occurrence_start"), True),)


class Milestone(Record):
    program = ForeignKeyField(Program, backref="milestones", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    owner = ForeignKeyField(Person, null=True, backref="milestones", on_delete="SET NULL")
    baseline = DayField()
    forecast = DayField()
    actual = DayField(null=True)
    deliverable = TextField(default="")
    acceptance_criteria = TextField(default="")

    class Meta:
        indexes = (
            (("forecast",), False),
            (("program", "forecast"), False),
        )


class MilestoneDependency(Record):
    milestone = ForeignKeyField(Milestone, backref="predecessor_links", on_delete="CASCADE")
    predecessor = ForeignKeyField(Milestone, backref="successor_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("milestone", "predecessor"), True),)
        constraints = [Check("milestone_id <> predecessor_id")]


class CommsItem(Record):
    program = ForeignKeyField(Program, backref="comms_items", on_delete="RESTRICT")
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    purpose = TextField(default="")
    channel = CharField(default="e-mail", constraints=[_one_of("channel", CHANNELS)])
    # an RRULE, or one date (YYYY-MM-DD) for a one-off communication
    cadence = TextField()
    # the first date the cadence counts from
    starts = DayField()
    owner = ForeignKeyField(Person, null=True, backref="comms_items", on_delete="SET NULL")
    digest_kind = CharField(null=True, constraints=[_one_of("digest_kind", DIGEST_KINDS)])
    active = BooleanField(default=True)


class CommsAudience(Record):
    item = ForeignKeyField(CommsItem, backref="audience", on_delete="CASCADE")
    group = ForeignKeyField(Group, null=True, backref="comms_audiences", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="comms_audiences", on_delete="CASCADE")

    class Meta:
        constraints = [Check("(group_id IS NULL) <> (person_id IS NULL)")]
        indexes = ((("item", "group", "person"), True),)


class CommsLogEntry(Record):
    item = ForeignKeyField(CommsItem, backref="log", on_delete="CASCADE")
    sent_at = UTCDateTimeField()
    sent_by = CharField()
    note = TextField(default="")
    artifact = TextField(default="")
    # schema version 6: only "sent" and "by hand" count as the item having gone out
    how = CharField(
        default="by hand", constraints=[SQL("DEFAULT 'by hand'"), _one_of("how", COMMS_LOG_HOW)]
    )

    class Meta:
        indexes = ((("item", "sent_at"), False),)


class Vendor(Record):
    name = CharField(unique=True, constraints=[Check("length(trim(name)) > 0")])
    contact = ForeignKeyField(Person, null=True, backref="vendors", on_delete="SET NULL")
    contact_note = TextField(default="")


class Contract(Record):
    vendor = ForeignKeyField(Vendor, backref="contracts", on_delete="RESTRICT")
    number = CharField(unique=True, constraints=[Check("length(trim(number)) > 0")])
    title = CharField(default="")
    program = ForeignKeyField(Program, backref="contracts", on_delete="RESTRICT")
    start = DayField()
    end = DayField()
    ceiling = MoneyField(constraints=[Check("ceiling >= 0")])
    currency = CharField(default="USD", constraints=[Check("currency GLOB '[A-Z][A-Z][A-Z]'")])

    class Meta:
        constraints = [Check('"end" >= start')]


class Expenditure(Record):
    contract = ForeignKeyField(Contract, backref="expenditures", on_delete="RESTRICT")
    date = DayField()
    amount = MoneyField()
    invoice_ref = CharField(default="")
    # schema version 6: why it may take the contract past its ceiling (empty: it does not);
    # why it was voided (empty: it stands; a void one counts nowhere)
    over_ceiling = TextField(default="", constraints=[SQL("DEFAULT ''")])
    void_reason = TextField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("contract", "date"), False),)


class ContractAmendment(Record):
    """A change of a contract's terms (schema version 6): what each term was and became,
    the day, the reason and the account that made it. The contract holds the terms now."""

    contract = ForeignKeyField(Contract, backref="amendments", on_delete="CASCADE")
    made_on = DayField()
    # JSON: {"ceiling": ["100000.00", "120000.00"], "end": [...], "rate": [...]}
    changes = TextField()
    reason = TextField(constraints=[Check("length(trim(reason)) > 0")])
    made_by = CharField()


class Assignment(Record):
    person = ForeignKeyField(Person, backref="assignments", on_delete="RESTRICT")
    program = ForeignKeyField(Program, backref="assignments", on_delete="RESTRICT")
    contract = ForeignKeyField(Contract, null=True, backref="assignments", on_delete="SET NULL")
    role = CharField(default="")
    allocation = IntegerField(constraints=[Check("allocation BETWEEN 1 AND 100")])
    start = DayField()
    end = DayField()
    rate = MoneyField(null=True, constraints=[Check("rate IS NULL OR rate >= 0")])

    class Meta:
        constraints = [Check('"end" >= start')]
        indexes = (
            (("person", "start", "end"), False),
            (("end",), False),
        )


class ActionItem(Record):
    program = ForeignKeyField(Program, null=True, backref="actions", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    notes = TextField(default="")
    owner = ForeignKeyField(Person, null=True, backref="actions", on_delete="SET NULL")
    due = DayField(null=True)
    priority = CharField(default="normal", constraints=[_one_of("priority", PRIORITIES)])
    status = CharField(default="open", constraints=[_one_of("status", ACTION_STATUSES)])
    closed_at = UTCDateTimeField(null=True)
    source_meeting = ForeignKeyField(Meeting, null=True, backref="actions", on_delete="SET NULL")
    source_occurrence = UTCDateTimeField(null=True)

    class Meta:
        indexes = (
            # the lists and Today: open items by due date for one owner or program; for all
            # programs, the partial indexes in EXTRA_SQL (schema version 3)
            (("owner", "status", "due"), False),
            (("program", "status", "due"), False),
            (("source_meeting", "source_occurrence"), False),
            # digests: items closed in a period (schema version 2)
            (("closed_at",), False),
        )


class InviteDelivery(Record):
    """The send ledger: which SEQUENCE of a meeting one attendee (an address) last received.

    An attendee added later has no row (they get the invite); a removed one has a row but no
    Attendee (they get a cancellation); a row below the meeting's SEQUENCE is out of date.
    ``occurrence_start`` is set when the message concerned one occurrence only.
    """

    meeting = ForeignKeyField(Meeting, backref="deliveries", on_delete="CASCADE")
    email = CharField()
    person = ForeignKeyField(Person, null=True, backref="deliveries", on_delete="SET NULL")
    sequence = IntegerField(constraints=[Check("sequence >= 0")])
    method = CharField(constraints=[_one_of("method", INVITE_METHODS)])
    occurrence_start = UTCDateTimeField(null=True)
    sent_at = UTCDateTimeField()
    sent_by = CharField()
    # "file" (written as .ics/.eml for the user to send) or "smtp"
    channel = CharField(default="file", constraints=[_one_of("channel", ("file", "smtp"))])
    # schema version 6: exported (a file), sent (accepted by the server) or refused; only
    # "sent" counts as the address holding this SEQUENCE
    state = CharField(
        default="exported",
        constraints=[SQL("DEFAULT 'exported'"), _one_of("state", DELIVERY_STATES)],
    )
    # the SMTP server's reply for a refused recipient (code and words)
    reply = TextField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("meeting", "email", "sent_at"), False),)


class MeetingSplit(Record):
    """A "this and following" change: ``previous`` ended where ``meeting`` (a new UID) starts,
    so the new series still carries the open action items of the old one."""

    meeting = ForeignKeyField(Meeting, backref="split_from", on_delete="CASCADE")
    previous = ForeignKeyField(Meeting, backref="split_into", on_delete="CASCADE")
    split_at = UTCDateTimeField()

    class Meta:
        indexes = ((("meeting",), True), (("previous",), False))


class Agenda(Record):
    """The agenda of one occurrence of a meeting (the series' own agenda is its default)."""

    meeting = ForeignKeyField(Meeting, backref="agendas", on_delete="CASCADE")
    occurrence_start = UTCDateTimeField()
    text = TextField(default="")

    class Meta:
        indexes = ((("meeting", "occurrence_start"), True),)


class Risk(Record):
    program = ForeignKeyField(Program, backref="risks", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    cause = TextField(default="")
    effect = TextField(default="")
    category = CharField(default="")
    probability = IntegerField(constraints=[Check("probability BETWEEN 1 AND 5")])
    impact = IntegerField(constraints=[Check("impact BETWEEN 1 AND 5")])
    owner = ForeignKeyField(Person, null=True, backref="risks", on_delete="SET NULL")
    mitigation = TextField(default="")
    contingency = TextField(default="")
    trigger = TextField(default="")
    response_date = DayField(null=True)
    status = CharField(default="open", constraints=[_one_of("status", RISK_STATUSES)])

    class Meta:
        indexes = ((("program", "status"), False),)


class RiskAssessment(Record):
    """One scoring of a risk (probability x impact) at a time: the score's history."""

    risk = ForeignKeyField(Risk, backref="assessments", on_delete="CASCADE")
    assessed_at = UTCDateTimeField()
    probability = IntegerField(constraints=[Check("probability BETWEEN 1 AND 5")])
    impact = IntegerField(constraints=[Check("impact BETWEEN 1 AND 5")])
    assessed_by = CharField()

    class Meta:
        indexes = ((("risk", "assessed_at"), False),)


class Issue(Record):
    program = ForeignKeyField(Program, backref="issues", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    description = TextField(default="")
    severity = CharField(default="medium", constraints=[_one_of("severity", ISSUE_SEVERITIES)])
    owner = ForeignKeyField(Person, null=True, backref="issues", on_delete="SET NULL")
    due = DayField(null=True)
    status = CharField(default="open", constraints=[_one_of("status", ISSUE_STATUSES)])
    # the risk this issue is the occurrence of
    risk = ForeignKeyField(Risk, null=True, backref="became", on_delete="SET NULL")

    class Meta:
        indexes = ((("program", "status"), False),)


class IssueLink(Record):
    """An action item or a risk linked to an issue."""

    issue = ForeignKeyField(Issue, backref="links", on_delete="CASCADE")
    action = ForeignKeyField(ActionItem, null=True, backref="issue_links", on_delete="CASCADE")
    risk = ForeignKeyField(Risk, null=True, backref="issue_links", on_delete="CASCADE")

    class Meta:
        constraints = [Check("(action_id IS NULL) <> (risk_id IS NULL)")]
        indexes = ((("issue", "action", "risk"), True),)


class Decision(Record):
    program = ForeignKeyField(Program, backref="decisions", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    rationale = TextField(default="")
    decided_by = ForeignKeyField(Person, null=True, backref="decisions", on_delete="SET NULL")
    decided_on = DayField()
    # the meeting occurrence whose minutes hold it, if any
    meeting = ForeignKeyField(Meeting, null=True, backref="decisions", on_delete="SET NULL")
    occurrence_start = UTCDateTimeField(null=True)
    # schema version 6: the account that recorded it for the person who decided (empty: the
    # decider's own account, or nobody named)
    entered_by = CharField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("program", "decided_on"), False), (("meeting", "occurrence_start"), False))


class DecisionLink(Record):
    """A record a decision affects (one of ``LINKABLE``, by id)."""

    decision = ForeignKeyField(Decision, backref="links", on_delete="CASCADE")
    entity = CharField(constraints=[_one_of("entity", LINKABLE)])
    entity_id = IntegerField()

    class Meta:
        indexes = ((("decision", "entity", "entity_id"), True), (("entity", "entity_id"), False))


class ChangeRequest(Record):
    program = ForeignKeyField(Program, backref="change_requests", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    kind = CharField(constraints=[_one_of("kind", CHANGE_KINDS)])
    reason = TextField(default="")
    impact_days = IntegerField(null=True)
    impact_amount = MoneyField(null=True)
    currency = CharField(default="USD", constraints=[Check("currency GLOB '[A-Z][A-Z][A-Z]'")])
    requested_by = ForeignKeyField(Person, null=True, backref="requested", on_delete="SET NULL")
    requested_on = DayField()
    status = CharField(default="proposed", constraints=[_one_of("status", CHANGE_STATUSES)])
    approver = ForeignKeyField(Person, null=True, backref="approved", on_delete="SET NULL")
    decided_on = DayField(null=True)
    # the milestone it re-baselines, for a schedule change
    milestone = ForeignKeyField(Milestone, null=True, backref="changes", on_delete="SET NULL")
    # schema version 6: the account that decided it for the approver (empty: the approver's
    # own account, or not decided)
    entered_by = CharField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("program", "status"), False),)


class BudgetLine(Record):
    program = ForeignKeyField(Program, backref="budget_lines", on_delete="RESTRICT")
    fiscal_year = IntegerField(constraints=[Check("fiscal_year BETWEEN 2000 AND 2100")])
    kind = CharField(constraints=[_one_of("kind", BUDGET_KINDS)])
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    amount = MoneyField(constraints=[Check("amount >= 0")])
    currency = CharField(default="USD", constraints=[Check("currency GLOB '[A-Z][A-Z][A-Z]'")])
    # the expected final cost when someone has estimated it (null: derived)
    estimate_at_completion = MoneyField(null=True)

    class Meta:
        indexes = ((("program", "fiscal_year", "kind", "name"), True),)


class Cost(Record):
    """A cost that is not a contract expenditure (licences, travel, staff time charged in)."""

    program = ForeignKeyField(Program, backref="costs", on_delete="RESTRICT")
    budget_line = ForeignKeyField(BudgetLine, null=True, backref="costs", on_delete="SET NULL")
    date = DayField()
    amount = MoneyField()
    currency = CharField(default="USD", constraints=[Check("currency GLOB '[A-Z][A-Z][A-Z]'")])
    description = CharField(default="")

    class Meta:
        indexes = ((("program", "date"), False),)


class Metric(Record):
    program = ForeignKeyField(Program, null=True, backref="metrics", on_delete="RESTRICT")
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    unit = CharField(default="")
    direction = CharField(constraints=[_one_of("direction", METRIC_DIRECTIONS)])
    # decimal numbers as text, so 99.95 stays 99.95 (models read them as Decimal)
    target = CharField()
    amber = CharField()
    red = CharField()
    cadence = TextField(default="")

    class Meta:
        indexes = ((("program", "name"), True),)


class Measurement(Record):
    metric = ForeignKeyField(Metric, backref="measurements", on_delete="CASCADE")
    taken_on = DayField()
    value = CharField()
    note = TextField(default="")

    class Meta:
        indexes = ((("metric", "taken_on"), False),)


class AuditEntry(Model):
    """One change to one record, written in the same transaction as the change."""

    id = AutoField()
    at = UTCDateTimeField(default=utcnow)
    actor = CharField()
    entity = CharField()
    entity_id = IntegerField()
    action = CharField(constraints=[_one_of("action", ("create", "update", "delete"))])
    # JSON: {"field": [old, new], ...}
    changes = TextField(default="{}")
    note = TextField(default="")
    # SHA-256 (hex) over this entry's fields and the previous entry's hash (schema version 7):
    # an entry changed, inserted or removed outside docket breaks the chain (models/audit.py)
    hash = CharField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        database = database
        table_name = "audit_entry"
        indexes = (
            (("entity", "entity_id", "at"), False),
            # an account's own recent changes, for undo (schema version 2)
            (("actor", "at"), False),
        )


TABLES: tuple[type[Model], ...] = (
    Meta,
    Person,
    Program,
    Group,
    GroupMember,
    UserAccount,
    Meeting,
    Attendee,
    OccurrenceChange,
    Minutes,
    Milestone,
    MilestoneDependency,
    CommsItem,
    CommsAudience,
    CommsLogEntry,
    Vendor,
    Contract,
    Expenditure,
    Assignment,
    ActionItem,
    AuditEntry,
)

# added in schema version 4: the meetings' send ledger, splits and agendas, and governance
TABLES_V4: tuple[type[Model], ...] = (
    InviteDelivery,
    MeetingSplit,
    Agenda,
    Risk,
    RiskAssessment,
    Issue,
    IssueLink,
    Decision,
    DecisionLink,
    ChangeRequest,
    BudgetLine,
    Cost,
    Metric,
    Measurement,
)
# tables schema version 6 adds
TABLES_V6: tuple[type[Model], ...] = (ContractAmendment,)
TABLES = TABLES + TABLES_V4 + TABLES_V6

# most urgent first
PRIORITY_RANK_SQL = (
    "CASE priority "
    + " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(reversed(PRIORITIES)))
    + " ELSE 9 END"
)
OPEN_ACTION_SQL = f"status IN {sql_list(OPEN_ACTION_STATUSES)}"

# SQL the models cannot say: indexes on expressions and partial indexes.
# - One person per e-mail address, compared without case.
# - Open action items in list order (due, then most urgent), once with a due date bound and
#   once with undated items last: with them the overdue list and the default list read 50
#   rows instead of sorting 40,000. SQLite uses a partial index only when the query repeats
#   its WHERE with the same constants, so actions.py builds its terms from these strings.
EXTRA_SQL: tuple[str, ...] = (
    "CREATE UNIQUE INDEX IF NOT EXISTS person_email_nocase ON person (lower(email)) "
    "WHERE email IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS action_item_open_by_due "
    f"ON action_item (due, {PRIORITY_RANK_SQL}, id) WHERE {OPEN_ACTION_SQL}",
    "CREATE INDEX IF NOT EXISTS action_item_open_undated_last "
    f"ON action_item (due IS NULL, due, {PRIORITY_RANK_SQL}, id) WHERE {OPEN_ACTION_SQL}",
)
