"""The office's criteria for proposals, weighted directly or by pairwise comparison.

Direct weights are any numbers of zero or more; the weights in use are the active
criteria's normalised to sum to 1 (:func:`docket.models.portfolio.value.active_weights`).

Pairwise comparison is the analytic hierarchy process (Saaty): ``A B 3`` says A is 3 times
as important as B, on Saaty's scale 1/9 to 9. With every pair of active criteria compared,
the reciprocal matrix's principal eigenvector (numpy's ``eig``), normalised to sum to 1, is
the weights; its eigenvalue is lambda_max; the consistency index
``CI = (lambda_max - n) / (n - 1)`` and the consistency ratio ``CR = CI / RI(n)``, RI being
Saaty's random index. A CR above 0.10 means the comparisons contradict each other too much
to trust: it is said in words. The derived weights are stored only when asked
(:func:`apply_comparisons`), each change audited.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypedDict

import numpy

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import decimal_number, shown, text
from docket.models.core.lookup import exactly_one, fold, name_matches, words
from docket.models.core.schema_selection import Criterion, CriterionComparison
from docket.models.portfolio.value import active_weights, stored_weight

# Saaty's random consistency index by matrix size (Saaty, "The Analytic Hierarchy
# Process", 1980, table 1.7, extended to 15 in his later work)
RANDOM_INDEX = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
    10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}  # fmt: skip
CONSISTENT = Decimal("0.10")
WEIGHT_PLACES = Decimal("0.0001")
MAX_WEIGHT = Decimal(1000)
# how many of the most inconsistent comparisons are named when CR is over 0.10
TO_REVISE = 3
# weights in use within this of the derived ones (each) are the derived ones: applied
# weights are stored to 4 places and normalised again
SAME_WEIGHT = Decimal("0.0002")


def get_criterion(typed: str, *, active_only: bool = False) -> Criterion:
    """The criterion ``typed`` names: its name (case and accents aside), else the one whose
    words it starts; several are refused with their names."""
    query = Criterion.select().order_by(Criterion.name)
    if active_only:
        query = query.where(Criterion.active)
    every = list(query)
    exact = [c for c in every if fold(c.name) == fold(typed or "")]
    if exact:
        found: Criterion = exact[0]
        return found
    wanted = words(typed or "")
    named = [c for c in every if name_matches(wanted, c.name)]
    if not named:
        known = ", ".join(c.name for c in every[:8])
        hint = f"; known: {known}" if known else "; there are no criteria yet"
        raise NotFoundError(f"criterion: no criterion named {shown(typed or '')}{hint}")
    return exactly_one("criterion", typed, named, noun="criterion", plural="criteria",
                       describe=lambda c: c.name, narrow="give its whole name")  # fmt: skip


def weight_value(typed: str | Decimal) -> Decimal:
    """A direct weight: a number of zero or more, at most 4 decimal places."""
    return decimal_number(
        "weight",
        typed,
        places=4,
        maximum=MAX_WEIGHT,
        example="a number of zero or more such as 0.3",
    )


def add_criterion(ctx: Context, name: str, description: str = "", weight: str = "0") -> Criterion:
    """A new criterion (active), with its direct weight."""
    values: dict[str, Any] = {
        "name": text("name", name, max_length=80),
        "description": text(
            "description", description, required=False, max_length=2000, multiline=True
        ),
        "weight": str(weight_value(weight)),
    }
    with write():
        clash = [c.name for c in Criterion.select() if fold(c.name) == fold(values["name"])]
        if clash:
            raise ValidationError("name", f"a criterion named {clash[0]} already exists")
        return records.create(ctx, Criterion, **values)


def update_criterion(
    ctx: Context, typed: str, version: int | None = None, **changes: str
) -> Criterion:
    """Change a criterion's name, description or direct weight; ``active`` yes/no retires
    it or brings it back (a retired criterion weighs nothing and takes no scores)."""
    values: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "name":
            values["name"] = text("name", value, max_length=80)
        elif field == "description":
            values[field] = text(field, value, required=False, max_length=2000, multiline=True)
        elif field == "weight":
            values["weight"] = str(weight_value(value))
        elif field == "active":
            values["active"] = _yes_no("active", value)
        else:
            raise ValidationError(field, "is not a field of a criterion")
    with write():
        criterion = records.get_current(Criterion, get_criterion(typed).id, version)
        if "name" in values:
            clash = [
                c.name for c in Criterion.select().where(Criterion.id != criterion.id)
                if fold(c.name) == fold(values["name"])
            ]  # fmt: skip
            if clash:
                raise ValidationError("name", f"a criterion named {clash[0]} already exists")
        return records.update(ctx, criterion, criterion.version, **values)


def _yes_no(field: str, value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower()
    if word not in ("yes", "no", "true", "false"):
        raise ValidationError(field, f"expected yes or no, got {shown(value)}")
    return word in ("yes", "true")


class CriterionFacts(TypedDict):
    """One criterion (``docket criteria list --format json``); weights as text."""

    id: int
    name: str
    description: str
    active: bool
    # as entered
    weight: str
    # in use: the active weights normalised to sum to 1 (0 for a retired criterion)
    share: str
    version: int


def criteria_facts(include_retired: bool = False) -> list[CriterionFacts]:
    """The criteria by name, active ones only unless asked."""
    in_use = active_weights()
    query = Criterion.select().order_by(Criterion.name)
    if not include_retired:
        query = query.where(Criterion.active)
    return [
        {
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "active": bool(c.active),
            "weight": str(stored_weight(c.weight)),
            "share": str(
                in_use.get(c.name, Decimal(0)).quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP)
            ),
            "version": c.version,
        }
        for c in query
    ]


# --- pairwise comparison --------------------------------------------------------------


def saaty_ratio(typed: str) -> Fraction:
    """A comparison on Saaty's scale: a whole number 1 to 9, or its reciprocal ``1/3``."""
    cleaned = (typed or "").strip().replace(" ", "")
    top, slash, bottom = cleaned.partition("/")
    scale = {str(n) for n in range(1, 10)}
    if top in scale and not slash:
        return Fraction(int(top))
    if top == "1" and slash and bottom in scale:
        return Fraction(1, int(bottom))
    raise ValidationError(
        "ratio", f"expected 1 to 9 or 1/2 to 1/9 (Saaty's scale), got {shown(typed or '')}"
    )


def _ratio_text(ratio: Fraction) -> str:
    return str(ratio.numerator) if ratio.denominator == 1 else f"1/{ratio.denominator}"


def compare(ctx: Context, first: str, second: str, ratio: str) -> CriterionComparison:
    """``first`` is ``ratio`` times as important as ``second`` (replacing an earlier
    comparison of the pair, either way round)."""
    value = saaty_ratio(ratio)
    with write():
        a, b = get_criterion(first, active_only=True), get_criterion(second, active_only=True)
        if a.id == b.id:
            raise ValidationError("criterion", "a criterion is not compared with itself")
        if a.id > b.id:  # stored with the lower id first
            a, b, value = b, a, 1 / value
        row = CriterionComparison.get_or_none(
            CriterionComparison.first == a, CriterionComparison.second == b
        )
        if row is None:
            return records.create(
                ctx, CriterionComparison, first=a, second=b, ratio=_ratio_text(value)
            )
        return records.update(ctx, row, row.version, ratio=_ratio_text(value))


def comparison_said(row: CriterionComparison) -> str:
    """A stored comparison in words, the more important criterion first
    (``Cost is 3 times as important as Risk``)."""
    ratio = saaty_ratio(row.ratio)
    if ratio == 1:
        return f"{row.first.name} is as important as {row.second.name}"
    more, less = (row.first, row.second) if ratio > 1 else (row.second, row.first)
    times = max(ratio, 1 / ratio)
    return f"{more.name} is {times} times as important as {less.name}"


class Revision(TypedDict):
    """A comparison far from what the derived weights imply: ``first`` was entered as
    ``entered`` times as important as ``second``; the weights say ``implied``
    (``w_first / w_second``), off by a factor of ``off`` (at least 1, either way round)."""

    first: str
    second: str
    entered: str
    implied: Decimal
    off: Decimal


def furthest_off(
    names: list[str], matrix: list[list[Fraction]], weights: list[Decimal], count: int = TO_REVISE
) -> list[Revision]:
    """The ``count`` comparisons whose entered ratio ``a_ij`` is furthest from the ratio of
    the derived weights ``w_i / w_j``, measured as ``|ln(a_ij / (w_i / w_j))|`` so that a
    pair is as far off either way round."""
    found: list[tuple[float, Revision]] = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if not weights[i] or not weights[j]:
                continue
            implied = weights[i] / weights[j]
            gap = abs(math.log(float(matrix[i][j]) / float(implied)))
            two = Decimal("0.01")
            revision: Revision = {
                "first": names[i], "second": names[j], "entered": _ratio_text(matrix[i][j]),
                "implied": implied.quantize(two, rounding=ROUND_HALF_UP),
                "off": Decimal(repr(math.exp(gap))).quantize(two, rounding=ROUND_HALF_UP),
            }  # fmt: skip
            found.append((gap, revision))
    found.sort(key=lambda pair: -round(pair[0], 9))  # ties (to float noise) in name order
    return [revision for _, revision in found[:count]]


class AhpFacts(TypedDict):
    """What the comparisons of the active criteria give (``docket criteria weights``)."""

    criteria: list[str]
    # the comparison matrix, row i column j: how much more criterion i weighs than j
    matrix: list[list[str]]
    # the pairs not yet compared (the weights need every pair)
    missing: list[list[str]]
    # the principal eigenvector normalised to sum to 1, by criterion (empty when missing)
    weights: dict[str, Decimal]
    lambda_max: Decimal | None
    ci: Decimal | None
    ri: Decimal | None
    cr: Decimal | None
    consistent: bool | None
    # in words: whether the comparisons may be trusted
    verdict: str
    # the weights in use now (the active criteria's, normalised; 4 places), by criterion
    in_use: dict[str, Decimal]
    # whether those are the derived weights (None: no derived weights yet)
    in_use_derived: bool | None
    # when CR is over 0.10: the comparisons furthest from what the weights imply, worst first
    to_revise: list[Revision]


def ahp(matrix: list[list[Fraction]]) -> tuple[list[Decimal], Decimal, Decimal, Decimal]:
    """Weights (principal eigenvector, sum 1), lambda_max, CI and CR of a reciprocal
    comparison matrix; each rounded to 4 places (CR 0 for 1 or 2 criteria)."""
    n = len(matrix)
    if not 1 <= n <= max(RANDOM_INDEX):
        raise ValidationError("criteria", f"expected 1 to {max(RANDOM_INDEX)} criteria, got {n}")
    values, vectors = numpy.linalg.eig(numpy.array([[float(x) for x in row] for row in matrix]))
    principal = int(numpy.argmax(values.real))
    vector = numpy.abs(vectors[:, principal].real)
    weights = vector / vector.sum()
    lam = float(values[principal].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri else 0.0

    def four(x: float) -> Decimal:
        return Decimal(repr(x)).quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP)

    return [four(float(w)) for w in weights], four(lam), four(ci), four(cr)


def comparison_weights() -> AhpFacts:
    """The comparison matrix of the active criteria and, with every pair compared, the AHP
    weights, lambda_max, CI and CR."""
    criteria = list(Criterion.select().where(Criterion.active).order_by(Criterion.name))
    index = {c.id: i for i, c in enumerate(criteria)}
    n = len(criteria)
    matrix: list[list[Fraction | None]] = [
        [Fraction(1) if i == j else None for j in range(n)] for i in range(n)
    ]
    for row in CriterionComparison.select():
        i, j = index.get(row.__data__["first"]), index.get(row.__data__["second"])
        if i is None or j is None:
            continue  # a retired criterion's comparisons wait until it comes back
        ratio = saaty_ratio(row.ratio)
        matrix[i][j], matrix[j][i] = ratio, 1 / ratio
    names = [c.name for c in criteria]
    missing = [
        [names[i], names[j]] for i in range(n) for j in range(i + 1, n) if matrix[i][j] is None
    ]
    facts: AhpFacts = {
        "criteria": names,
        "matrix": [["" if x is None else _ratio_text(x) for x in row] for row in matrix],
        "missing": missing,
        "weights": {}, "lambda_max": None, "ci": None, "ri": None, "cr": None,
        "consistent": None,
        "verdict": "",
        "in_use": {
            name: w.quantize(WEIGHT_PLACES, rounding=ROUND_HALF_UP)
            for name, w in active_weights().items()
        },
        "in_use_derived": None,
        "to_revise": [],
    }  # fmt: skip
    if not n:
        facts["verdict"] = "no active criteria to compare"
        return facts
    if missing:
        facts["verdict"] = f"{len(missing)} pair(s) not yet compared; every pair is needed"
        return facts
    full = [[x if x is not None else Fraction(1) for x in row] for row in matrix]
    weights, lam, ci, cr = ahp(full)
    consistent = cr <= CONSISTENT
    facts["weights"] = dict(zip(names, weights, strict=True))
    facts["lambda_max"], facts["ci"], facts["cr"] = lam, ci, cr
    facts["ri"] = Decimal(str(RANDOM_INDEX[n]))
    facts["consistent"] = consistent
    facts["in_use_derived"] = all(
        abs(facts["in_use"][name] - facts["weights"][name]) <= SAME_WEIGHT for name in names
    )
    if not consistent:
        facts["to_revise"] = furthest_off(names, full, weights)
    facts["verdict"] = (
        f"consistent: CR {cr} is at most 0.10"
        if consistent
        else f"INCONSISTENT: CR {cr} is over 0.10; the comparisons contradict each other, "
        "revise them before using these weights"
    )
    return facts


def apply_comparisons(ctx: Context, *, even_if_inconsistent: bool = False) -> AhpFacts:
    """Store the AHP weights as the criteria's direct weights (each change audited);
    refused while a pair is missing, or when CR is over 0.10 unless told otherwise."""
    with write():
        facts = comparison_weights()
        if facts["missing"] or not facts["weights"]:
            raise ValidationError("comparisons", facts["verdict"])
        if not facts["consistent"] and not even_if_inconsistent:
            raise ValidationError(
                "comparisons", f"CR {facts['cr']} is over 0.10; revise the comparisons, or "
                "apply them anyway with --even-if-inconsistent",
            )  # fmt: skip
        note = f"AHP weights (lambda_max {facts['lambda_max']}, CI {facts['ci']}, CR {facts['cr']})"
        for criterion in Criterion.select().where(Criterion.active):
            records.update(ctx, criterion, criterion.version, note=note,
                           weight=str(facts["weights"][criterion.name]))  # fmt: skip
        return facts
