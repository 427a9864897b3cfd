"""The bulk screener: one policy item over every enterprise and project at once, on numpy
arrays, with the same numbers as the explainer (``explain.py``; property tests hold the two
together).

How it stays exact: amounts are integers over one common denominator ``D`` (the least common
multiple of the rates' denominators, times 365 when interest is pro-rated by days), held per row
and per year in int64 (a guard falls back to Python integers if a rule could overflow), and
rounded half-up to the fen once per year, as the explainer does. Conditions are Kleene
three-valued: two boolean arrays, *surely true* and *surely false*. Text facts (region, industry,
project kind) are factorised, so a prefix test runs once per distinct code, not once per row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import numpy as np

from .explain import title_holds, version_in_force
from .facts import Enterprise
from .rules import (
    All,
    AnyOf,
    Choose,
    Cmp,
    Fixed,
    HasTitle,
    Interest,
    LoanPercent,
    Min,
    Not,
    Percent,
    Rule,
    Sum,
    Tiers,
    TitleTable,
    industry_matches,
)

I64 = np.int64
_SAFE = 2**62


def _factor(values: list) -> tuple[np.ndarray, list]:
    """Values (None = unknown) → codes (int32, -1 unknown) and the list of distinct values."""
    index: dict = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, value in enumerate(values):
        if value is None:
            codes[i] = -1
        else:
            code = index.get(value)
            if code is None:
                code = index[value] = len(index)
            codes[i] = code
    return codes, list(index)


def _money(values: list) -> tuple[np.ndarray, np.ndarray]:
    """Integers or None → (int64 values with 0 for unknown, known mask)."""
    data = np.array(values, dtype=object)
    if data.ndim != 1:
        data = np.empty(len(values), dtype=object)
        data[:] = values
    known = data != None  # noqa: E711 - an elementwise test on an object array
    data[~known] = 0
    return data.astype(I64), known.astype(bool)


@dataclass
class FactTable:
    """Facts in columns. Enterprise columns have one entry per enterprise; project columns one
    per project (``p_ent`` = its enterprise); loan columns one per loan (``l_proj``)."""

    n_enterprises: int
    uscc: list
    region: np.ndarray
    regions: list
    industry: np.ndarray
    industries: list
    maturity: np.ndarray  # int16, -1 unknown
    revenue: np.ndarray
    revenue_known: np.ndarray
    employees: np.ndarray
    employees_known: np.ndarray
    titles: list  # per enterprise: tuple of Title or None (kept as objects: they are few)
    received: list  # per enterprise: dict
    projects_state: np.ndarray  # int8 per enterprise: -1 unknown, 0 none, 1 some
    # projects
    p_ent: np.ndarray
    p_id: list
    p_kind: np.ndarray
    p_kinds: list
    p_region: np.ndarray
    p_regions: list
    p_start: np.ndarray  # ordinal, -1 unknown
    p_money: dict  # name → (int64 fen, known)
    p_loans_known: np.ndarray
    p_order: np.ndarray  # rank of each project inside its enterprise (explainer's order)
    # loans
    l_proj: np.ndarray
    l_amount: np.ndarray
    l_amount_known: np.ndarray
    l_rate: list  # Fraction or None (only read by not_above_rate rules)
    l_start: np.ndarray
    l_end: np.ndarray
    extra: dict = field(default_factory=dict)

    @property
    def n_projects(self) -> int:
        return len(self.p_id)

    @classmethod
    def build(cls, enterprises: list[Enterprise]) -> FactTable:
        n = len(enterprises)
        region, regions = _factor([e.region for e in enterprises])
        industry, industries = _factor([e.industry for e in enterprises])
        maturity = np.fromiter(
            (e.maturity_level if e.maturity_level is not None else -1 for e in enterprises),
            dtype=np.int16,
            count=n,
        )
        revenue, revenue_known = _money([e.revenue_fen for e in enterprises])
        employees, employees_known = _money([e.employees for e in enterprises])
        projects_state = np.fromiter(
            (-1 if e.projects is None else (1 if e.projects else 0) for e in enterprises),
            dtype=np.int8,
            count=n,
        )
        p_ent, projects = [], []
        for i, e in enumerate(enterprises):
            for p in e.projects or ():
                p_ent.append(i)
                projects.append(p)
        p_kind, p_kinds = _factor([p.kind for p in projects])
        p_region, p_regions = _factor([p.region for p in projects])
        p_start = np.fromiter(
            (p.start_date.toordinal() if p.start_date else -1 for p in projects),
            dtype=I64,
            count=len(projects),
        )
        money = {
            name: _money([getattr(p, f"{name}_fen") for p in projects])
            for name in ("equipment", "intelligent_equipment", "software", "services", "other")
        }
        loans_known = np.fromiter(
            (p.loans is not None for p in projects), dtype=bool, count=len(projects)
        )
        l_proj, loans = [], []
        for j, p in enumerate(projects):
            for loan in p.loans or ():
                l_proj.append(j)
                loans.append(loan)
        l_amount, l_amount_known = _money([loan.amount_fen for loan in loans])
        p_ent_arr = np.asarray(p_ent, dtype=I64)
        ids = np.asarray([p.id for p in projects], dtype=object)
        order = _project_ranks(p_ent_arr, p_start, ids)
        return cls(
            n_enterprises=n,
            uscc=[e.uscc for e in enterprises],
            region=region,
            regions=regions,
            industry=industry,
            industries=industries,
            maturity=maturity,
            revenue=revenue,
            revenue_known=revenue_known,
            employees=employees,
            employees_known=employees_known,
            titles=[e.titles for e in enterprises],
            received=[e.received for e in enterprises],
            projects_state=projects_state,
            p_ent=p_ent_arr,
            p_id=[p.id for p in projects],
            p_kind=p_kind,
            p_kinds=p_kinds,
            p_region=p_region,
            p_regions=p_regions,
            p_start=p_start,
            p_money=money,
            p_loans_known=loans_known,
            p_order=order,
            l_proj=np.asarray(l_proj, dtype=I64),
            l_amount=l_amount,
            l_amount_known=l_amount_known,
            l_rate=[loan.annual_rate for loan in loans],
            l_start=np.fromiter(
                (loan.start_date.toordinal() if loan.start_date else -1 for loan in loans),
                dtype=I64,
                count=len(loans),
            ),
            l_end=np.fromiter(
                (loan.end_date.toordinal() if loan.end_date else -1 for loan in loans),
                dtype=I64,
                count=len(loans),
            ),
        )


def _project_ranks(p_ent: np.ndarray, p_start: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The explainer's project order inside each enterprise: start date (unknown last), id."""
    if len(p_ent) == 0:
        return np.zeros(0, dtype=I64)
    no_start = (p_start < 0).astype(I64)
    order = np.lexsort((ids.astype(str), p_start, no_start, p_ent))
    return order


# --- three-valued conditions ------------------------------------------------------------------


@dataclass
class _Rows:
    """The rows one item is evaluated on."""

    kind: str  # "project" or "enterprise"
    n: int
    ent: np.ndarray  # enterprise index per row
    proj: np.ndarray  # project index per row (-1 for placeholder / enterprise rows)
    year: np.ndarray  # the row's own year (project start year, else as_of year)


def _code_test(codes: np.ndarray, uniques: list, fn) -> tuple[np.ndarray, np.ndarray]:
    table = np.fromiter((bool(fn(u)) for u in uniques), dtype=bool, count=len(uniques))
    known = codes >= 0
    hit = np.zeros(len(codes), dtype=bool)
    if len(uniques):
        hit[known] = table[codes[known]]
    return hit & known, ~hit & known


def _cmp_values(op: str, values: np.ndarray, operand) -> np.ndarray:
    """values (int64) op operand (Fraction / int / tuple of them), exactly."""

    def scaled(x):
        x = Fraction(x)
        return x.numerator, x.denominator

    if op == "between":
        (ln, ld), (hn, hd) = scaled(operand[0]), scaled(operand[1])
        return (values * ld >= ln) & (values * hd <= hn)
    if op in ("in", "not_in"):
        hit = np.zeros(len(values), dtype=bool)
        for x in operand:
            xn, xd = scaled(x)
            hit |= values * xd == xn
        return hit if op == "in" else ~hit
    num, den = scaled(operand)
    left = values * den
    return {
        "eq": left == num,
        "ne": left != num,
        "gt": left > num,
        "ge": left >= num,
        "lt": left < num,
        "le": left <= num,
    }[op]


class _Screener:
    def __init__(self, table: FactTable, rule: Rule, as_of: date, rows: _Rows):
        self.t = table
        self.rule = rule
        self.as_of = as_of
        self.rows = rows

    # facts per row --------------------------------------------------------------------------
    def _ent(self, arr):
        return arr[self.rows.ent]

    def _proj(self, arr, fill=0):
        out = np.full(self.rows.n, fill, dtype=arr.dtype)
        real = self.rows.proj >= 0
        out[real] = arr[self.rows.proj[real]]
        return out

    def money_fact(self, fact: str) -> tuple[np.ndarray, np.ndarray]:
        t = self.t
        if fact == "enterprise.revenue":
            return self._ent(t.revenue), self._ent(t.revenue_known)
        if fact == "enterprise.employees":
            return self._ent(t.employees), self._ent(t.employees_known)
        if fact == "project.total_investment":
            total = np.zeros(self.rows.n, dtype=I64)
            known = np.ones(self.rows.n, dtype=bool)
            for name in ("equipment", "software", "services", "other"):
                v, k = self.money_fact(f"project.{name}")
                total += v
                known &= k
            return total, known
        if fact == "project.loan_amount":
            sums = np.zeros(t.n_projects, dtype=I64)
            np.add.at(sums, t.l_proj, t.l_amount)
            complete = t.p_loans_known.copy()
            bad = t.l_proj[~t.l_amount_known]
            complete[bad] = False
            return self._proj(sums), self._proj(complete, False)
        name = fact.split(".", 1)[1]
        v, k = t.p_money[name]
        return self._proj(v), self._proj(k, False)

    def condition(self, node) -> tuple[np.ndarray, np.ndarray]:
        n = self.rows.n
        if isinstance(node, All):
            true, false = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
            for child in node.items:
                ct, cf = self.condition(child)
                true &= ct
                false |= cf
            return true, false
        if isinstance(node, AnyOf):
            true, false = np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
            for child in node.items:
                ct, cf = self.condition(child)
                true |= ct
                false &= cf
            return true, false
        if isinstance(node, Not):
            ct, cf = self.condition(node.item)
            return cf, ct
        if isinstance(node, HasTitle):
            per_ent = np.full(self.t.n_enterprises, -1, dtype=np.int8)
            for i, titles in enumerate(self.t.titles):
                if titles is None:
                    continue
                if not titles:
                    per_ent[i] = 0
                    continue
                held = title_holds(_TitlesOnly(titles), node.titles, node.levels, self.as_of)
                per_ent[i] = -1 if held is None else int(held)
            values = self._ent(per_ent)
            return values == 1, values == 0
        assert isinstance(node, Cmp)
        return self.compare(node)

    def compare(self, node: Cmp):
        t = self.t
        fact, op, operand = node.fact, node.op, node.value
        if fact in ("enterprise.region", "enterprise.industry", "project.kind", "project.region"):
            codes, uniques = {
                "enterprise.region": (t.region, t.regions),
                "enterprise.industry": (t.industry, t.industries),
                "project.kind": (t.p_kind, t.p_kinds),
                "project.region": (t.p_region, t.p_regions),
            }[fact]
            industry = fact == "enterprise.industry"

            def test(value):
                if op in ("prefix", "not_prefix"):
                    hit = any(
                        industry_matches(value, p) if industry else value.startswith(p)
                        for p in operand
                    )
                    return hit if op == "prefix" else not hit
                if op == "eq":
                    return value == operand
                if op == "ne":
                    return value != operand
                if op == "in":
                    return value in operand
                return value not in operand

            true, false = _code_test(codes, uniques, test)
            if fact.startswith("enterprise."):
                return self._ent(true), self._ent(false)
            return self._proj(true, False), self._proj(false, False)
        if fact == "enterprise.maturity_level":
            values = self._ent(t.maturity).astype(I64)
            known = values >= 0
        elif fact == "project.start_date":
            values = self._proj(t.p_start, -1)
            known = values >= 0
            operand = _ordinals(operand)
        elif fact == "project.intelligent_equipment_share":
            ie, ik = self.money_fact("project.intelligent_equipment")
            eq, ek = self.money_fact("project.equipment")
            known = ik & ek
            # ie/eq op a/b  ⇔  ie*b op a*eq  (eq > 0); a zero equipment makes the share 0
            hit = _share_compare(op, ie, eq, operand)
            return hit & known, ~hit & known
        else:
            values, known = self.money_fact(fact)
        hit = _cmp_values(op, values, operand)
        return hit & known, ~hit & known


class _TitlesOnly:
    def __init__(self, titles):
        self.titles = titles


def _ordinals(operand):
    if isinstance(operand, tuple):
        return tuple(d.toordinal() for d in operand)
    return operand.toordinal()


def _share_compare(op, ie, eq, operand):
    if op == "between":
        lo, hi = operand
        zero_lo = Fraction(0) >= Fraction(lo)
        zero_hi = Fraction(0) <= Fraction(hi)
        ge = np.where(eq > 0, ie * Fraction(lo).denominator >= eq * Fraction(lo).numerator, zero_lo)
        le = np.where(eq > 0, ie * Fraction(hi).denominator <= eq * Fraction(hi).numerator, zero_hi)
        return ge & le
    x = Fraction(operand)
    with np.errstate(all="ignore"):
        left = ie * x.denominator
        right = eq * x.numerator
    zero = {"gt": 0 > x, "ge": 0 >= x, "lt": 0 < x, "le": 0 <= x}[op]
    cmp = {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
    return np.where(eq > 0, cmp, zero)


# --- amounts ----------------------------------------------------------------------------------


def _denominators(node, acc: set):
    if isinstance(node, Fixed):
        acc.add(Fraction(node.yuan.value * 100).denominator)
    elif isinstance(node, Percent | LoanPercent):
        acc.add((node.rate.value).denominator)
    elif isinstance(node, Interest):
        acc.add(node.points.value.denominator * 365)
    elif isinstance(node, Sum | Min):
        for child in node.items:
            _denominators(child, acc)
    elif isinstance(node, Tiers):
        for band in node.bands:
            _denominators(band.amount, acc)
    elif isinstance(node, TitleTable):
        for row in node.rows:
            acc.add(Fraction(row.yuan.value * 100).denominator)
    elif isinstance(node, Choose):
        for choice in node.choices:
            _denominators(choice.amount, acc)
        if node.otherwise is not None:
            _denominators(node.otherwise, acc)


@dataclass
class _Amount:
    values: np.ndarray  # (rows, years) numerators over D
    known: np.ndarray  # (rows,)


class _AmountScreener(_Screener):
    def setup(self, years: list[int], D: int, dtype):
        self.years = years
        self.D = D
        self.dtype = dtype
        self.years_arr = np.asarray(years, dtype=I64)
        self.row_col = np.searchsorted(self.years_arr, self.rows.year)

    def zeros(self):
        return np.zeros((self.rows.n, len(self.years)), dtype=self.dtype)

    def at_row_year(self, per_row: np.ndarray) -> np.ndarray:
        out = self.zeros()
        out[np.arange(self.rows.n), self.row_col] = per_row
        return out

    def amount(self, node) -> _Amount:
        n, D = self.rows.n, self.D
        if isinstance(node, Fixed):
            fen = Fraction(node.yuan.value * 100)
            per_row = np.full(n, fen.numerator * (D // fen.denominator), dtype=self.dtype)
            return _Amount(self.at_row_year(per_row), np.ones(n, dtype=bool))
        if isinstance(node, Percent):
            total = np.zeros(n, dtype=self.dtype)
            known = np.ones(n, dtype=bool)
            for base in node.bases:
                v, k = self.money_fact(base)
                total = total + v.astype(self.dtype)
                known &= k
            rate = node.rate.value
            per_row = total * (rate.numerator * (D // rate.denominator))
            return _Amount(self.at_row_year(np.where(known, per_row, 0)), known)
        if isinstance(node, Sum):
            parts = [self.amount(child) for child in node.items]
            values = parts[0].values.copy()
            known = parts[0].known.copy()
            for part in parts[1:]:
                values = values + part.values
                known &= part.known
            return _Amount(values, known)
        if isinstance(node, Min):
            parts = [self.amount(child) for child in node.items]
            totals = np.stack([p.values.sum(axis=1) for p in parts])
            known = np.logical_and.reduce([p.known for p in parts])
            return _Amount(self.at_row_year(totals.min(axis=0)), known)
        if isinstance(node, Tiers):
            if node.fact == "enterprise.maturity_level":
                values = self._ent(self.t.maturity).astype(I64)
                known = values >= 0
            else:
                values, known = self.money_fact(node.fact)
            out = self.zeros()
            out_known = known.copy()
            for band in node.bands:
                b = Fraction(band.at_least)
                hit = (
                    (values * b.denominator > b.numerator)
                    if band.strict
                    else (values * b.denominator >= b.numerator)
                )
                part = self.amount(band.amount)
                out = np.where(hit[:, None], part.values, out)
                out_known = np.where(hit, known & part.known, out_known)
            return _Amount(out, out_known)
        if isinstance(node, TitleTable):
            best = np.zeros(self.t.n_enterprises, dtype=object)
            state = np.full(self.t.n_enterprises, -1, dtype=np.int8)
            for i, titles in enumerate(self.t.titles):
                if titles is None:
                    continue
                state[i] = 1
                top = None
                unsure = False
                holder = _TitlesOnly(titles)
                for row in node.rows:
                    holds = title_holds(holder, (row.title,), row.levels, self.as_of)
                    if holds is None:
                        unsure = True
                    if holds:
                        fen = Fraction(row.yuan.value * 100)
                        top = fen if top is None else max(top, fen)
                if top is None and unsure:
                    state[i] = -1
                best[i] = 0 if top is None else top.numerator * (D // top.denominator)
            per_row = self._ent(best).astype(self.dtype)
            known = self._ent(state) == 1
            return _Amount(self.at_row_year(np.where(known, per_row, 0)), known)
        if isinstance(node, Choose):
            decided = np.zeros(n, dtype=bool)
            out = self.zeros()
            known = np.ones(n, dtype=bool)
            for choice in node.choices:
                ct, cf = self.condition(choice.when)
                unknown = ~ct & ~cf
                active = ~decided
                known &= ~(active & unknown)
                take = active & ct
                part = self.amount(choice.amount)
                out = np.where(take[:, None], part.values, out)
                known &= ~take | part.known
                decided |= take | (active & unknown)
            rest = ~decided
            if node.otherwise is not None:
                part = self.amount(node.otherwise)
                out = np.where(rest[:, None], part.values, out)
                known &= ~rest | part.known
            return _Amount(out, known)
        if isinstance(node, Interest | LoanPercent):
            return self.loans(node)
        raise TypeError(node)

    def loans(self, node) -> _Amount:
        t, n, D = self.t, self.rows.n, self.D
        proj_row = np.full(t.n_projects, -1, dtype=I64)
        real = self.rows.proj >= 0
        proj_row[self.rows.proj[real]] = np.nonzero(real)[0]
        row_of_loan = proj_row[t.l_proj] if len(t.l_proj) else np.zeros(0, dtype=I64)
        out = self.zeros()
        if isinstance(node, LoanPercent):
            need = t.l_amount_known & (t.l_start >= 0)
        else:
            need = t.l_amount_known & (t.l_start >= 0) & (t.l_end >= 0)
            if node.not_above_rate:
                need &= np.fromiter(
                    (r is not None for r in t.l_rate), dtype=bool, count=len(t.l_rate)
                )
        # a project is known when its loans are known and each loan has what this node needs
        known_proj = t.p_loans_known.copy()
        known_proj[t.l_proj[~need]] = False
        known = np.zeros(n, dtype=bool)
        known[real] = known_proj[self.rows.proj[real]]
        use = need & (row_of_loan >= 0)
        if not use.any():
            return _Amount(out, known)
        rows = row_of_loan[use]
        amount = t.l_amount[use].astype(self.dtype)
        start = t.l_start[use]
        if isinstance(node, LoanPercent):
            rate = node.rate.value
            years = _years_of(start)
            cols = np.searchsorted(self.years_arr, years)
            np.add.at(out, (rows, cols), amount * (rate.numerator * (D // rate.denominator)))
            return _Amount(out, known)
        end = t.l_end[use]
        points = [node.points.value] * len(rows)
        if node.not_above_rate:
            rates = [t.l_rate[i] for i in np.nonzero(use)[0]]
            points = [min(p, r) for p, r in zip(points, rates, strict=True)]
        start_years = _years_of(start)
        end_years = _years_of(end)
        span = int((end_years - start_years).max()) + 1
        for k in range(span):
            year = start_years + k
            active = year <= end_years
            if not active.any():
                continue
            idx = np.nonzero(active)[0]
            y = year[idx]
            jan1 = _jan1(y)
            dec31 = _jan1(y + 1) - 1
            first = np.maximum(start[idx], jan1)
            last = np.minimum(end[idx], dec31)
            whole = (first == jan1) & (last == dec31)
            days = np.where(whole, 365, last - first + 1)
            if node.not_above_rate:
                mult = np.asarray(
                    [points[i].numerator * (D // (points[i].denominator * 365)) for i in idx],
                    dtype=self.dtype,
                )
            else:
                p = points[0]
                mult = p.numerator * (D // (p.denominator * 365))
            values = amount[idx] * days.astype(self.dtype) * mult
            cols = np.searchsorted(self.years_arr, y)
            np.add.at(out, (rows[idx], cols), values)
        return _Amount(out, known)


def _jan1(years: np.ndarray) -> np.ndarray:
    lo, hi = int(years.min()), int(years.max())
    table = np.asarray([date(y, 1, 1).toordinal() for y in range(lo, hi + 1)], dtype=I64)
    return table[years - lo]


def _years_of(ordinals: np.ndarray) -> np.ndarray:
    """Calendar years of date ordinals, vectorised."""
    if len(ordinals) == 0:
        return np.zeros(0, dtype=I64)
    lo = date.fromordinal(int(ordinals.min())).year
    hi = date.fromordinal(int(ordinals.max())).year
    starts = np.asarray([date(y, 1, 1).toordinal() for y in range(lo, hi + 2)], dtype=I64)
    return lo + np.searchsorted(starts, ordinals, side="right") - 1


# --- the result -------------------------------------------------------------------------------


@dataclass
class ScreenResult:
    item: str
    version: int | None
    enterprise_index: np.ndarray
    project_index: np.ndarray  # -1 for enterprise rows and placeholders
    project_ids: list
    eligible: np.ndarray  # int8: 1 yes, 0 no, -1 unknown
    amount_fen: np.ndarray  # int64, -1 when unknown
    binding: list

    def __len__(self) -> int:
        return len(self.eligible)

    def summary(self) -> dict:
        yes = self.eligible == 1
        return {
            "rows": len(self.eligible),
            "eligible": int(yes.sum()),
            "unknown": int((self.eligible == -1).sum()),
            "not_eligible": int((self.eligible == 0).sum()),
            "total_fen": int(self.amount_fen[yes].sum()),
        }

    def rows(self):
        for i in range(len(self.eligible)):
            yield (
                int(self.enterprise_index[i]),
                self.project_ids[i],
                int(self.eligible[i]),
                int(self.amount_fen[i]),
                self.binding[i],
            )


def _rows_for(rule: Rule, table: FactTable, as_of: date) -> _Rows:
    if rule.subject == "enterprise":
        n = table.n_enterprises
        return _Rows(
            "enterprise",
            n,
            np.arange(n, dtype=I64),
            np.full(n, -1, dtype=I64),
            np.full(n, as_of.year, dtype=I64),
        )
    # projects in the explainer's order, then one placeholder per enterprise without projects
    order = table.p_order
    no_projects = np.nonzero(table.projects_state <= 0)[0]
    ent = np.concatenate([table.p_ent[order], no_projects]).astype(I64)
    proj = np.concatenate([order, np.full(len(no_projects), -1, dtype=I64)]).astype(I64)
    starts = table.p_start[order]
    years = np.where(
        starts >= 0,
        _years_of(np.where(starts >= 0, starts, date(as_of.year, 1, 1).toordinal())),
        as_of.year,
    )
    year = np.concatenate([years, np.full(len(no_projects), as_of.year, dtype=I64)]).astype(I64)
    return _Rows("project", len(ent), ent, proj, year)


def _group_exclusive_cumsum(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Exclusive running sum of ``values`` within runs of equal ``groups`` (already contiguous)."""
    if len(values) == 0:
        return values.copy()
    total = np.cumsum(values)
    excl = total - values
    starts = np.ones(len(groups), dtype=bool)
    starts[1:] = groups[1:] != groups[:-1]
    base = np.maximum.accumulate(np.where(starts, np.arange(len(groups)), 0))
    return excl - excl[base]


class _Evaluation:
    """One rule over the table: eligibility, per-year final fen, binding caps."""

    def __init__(self, rule: Rule, table: FactTable, as_of: date, rows: _Rows | None = None):
        self.rule = rule
        self.rows = rows or _rows_for(rule, table, as_of)
        n = self.rows.n
        dens: set[int] = {1}
        _denominators(rule.amount, dens)
        D = 1
        for d in dens:
            D = D * d // math.gcd(D, d)
        years = set(int(y) for y in np.unique(self.rows.year))
        if len(table.l_start):
            ly = (
                _years_of(table.l_start[table.l_start >= 0])
                if (table.l_start >= 0).any()
                else np.zeros(0, dtype=I64)
            )
            ey = (
                _years_of(table.l_end[table.l_end >= 0])
                if (table.l_end >= 0).any()
                else np.zeros(0, dtype=I64)
            )
            if len(ly):
                years |= set(
                    range(int(ly.min()), int(max(ly.max(), ey.max() if len(ey) else ly.max())) + 1)
                )
        years_list = sorted(years) or [as_of.year]
        # overflow guard: the largest money fact × the largest multiplier
        biggest = max(
            [1]
            + [int(v[0].max()) for v in table.p_money.values() if len(v[0])]
            + ([int(table.l_amount.max())] if len(table.l_amount) else [])
            + ([int(table.revenue.max())] if len(table.revenue) else [])
        )
        dtype = I64 if biggest * D * 366 * 64 < _SAFE else object
        screener = _AmountScreener(table, rule, as_of, self.rows)
        screener.setup(years_list, D, dtype)
        self.D = D
        if rule.conditions is not None:
            ctrue, cfalse = screener.condition(rule.conditions)
        else:
            ctrue, cfalse = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        # amounts and caps only where the conditions do not already say no (most rows, in a
        # registry-wide scan): the rest are 0 and need no arithmetic
        idx = np.flatnonzero(~cfalse)
        if len(idx) < n:
            part = _Rows(
                self.rows.kind,
                len(idx),
                self.rows.ent[idx],
                self.rows.proj[idx],
                self.rows.year[idx],
            )
            screener = _AmountScreener(table, rule, as_of, part)
            screener.setup(years_list, D, dtype)
        m = len(idx)
        amount = screener.amount(rule.amount)
        values, known = amount.values, amount.known.copy()
        self.bind = np.zeros(m, dtype=np.int16)
        self.bind_labels: list = [None]
        self.investment_total = None
        for cap in rule.caps:
            cap_fen = Fraction(cap.yuan.value * 100)
            cap_num = cap_fen.numerator * (D // cap_fen.denominator)
            applies = np.ones(m, dtype=bool)
            if cap.when is not None:
                wt, wf = screener.condition(cap.when)
                unknown = ~wt & ~wf
                known &= ~unknown
                applies = wt
            per = cap.per
            if per == "project_year" or (per == "enterprise_year" and rule.subject == "enterprise"):
                over = (values > cap_num) & applies[:, None]
                values = np.where(over, cap_num, values)
                bound_rows = over.any(axis=1)
            elif per == "project" or (per == "enterprise" and rule.subject == "enterprise"):
                cum = np.cumsum(values, axis=1)
                before = cum - values
                capped = np.minimum(values, np.maximum(0, cap_num - before))
                bound_rows = (cum[:, -1] > cap_num) & applies
                values = np.where(bound_rows[:, None], capped, values)
            else:
                continue
            self.mark_binding(bound_rows, per, _yuan_text(cap_fen))
        # round half-up to the fen, per year
        part_fen = (values * 2 + D) // (2 * D)
        if part_fen.dtype == object:
            part_fen = part_fen.astype(I64)
        fen = np.zeros((n, len(years_list)), dtype=I64)
        fen[idx] = part_fen
        self.known = np.ones(n, dtype=bool)
        self.known[idx] = known
        bind = np.zeros(n, dtype=np.int16)
        bind[idx] = self.bind
        self.bind = bind
        self.cond_true, self.cond_false = ctrue, cfalse
        self.years = years_list
        self.fen = fen
        self.table = table
        self.as_of = as_of

    def mark_binding(self, rows: np.ndarray, per: str, yuan: str | None):
        """Rows where a cap bound (a later cap overwrites an earlier one, as in the explainer);
        ``yuan`` None: the row's own total investment."""
        if not rows.any():
            return
        self.bind_labels.append({"per": per, "yuan": yuan})
        self.bind[rows] = len(self.bind_labels) - 1

    def binding_list(self, show: np.ndarray) -> list:
        out = [None] * self.rows.n
        for i in np.nonzero(show & (self.bind != 0))[0].tolist():
            label = self.bind_labels[self.bind[i]]
            if label["yuan"] is None:
                label = {
                    "per": label["per"],
                    "yuan": _yuan_text(Fraction(int(self.investment_total[i]))),
                }
            out[i] = dict(label)
        return out

    def eligible(self) -> np.ndarray:
        out = np.full(self.rows.n, -1, dtype=np.int8)
        out[self.cond_true & self.known] = 1
        out[self.cond_false] = 0
        if self.rule.subject == "project":
            placeholder = self.rows.proj < 0
            state = self.table.projects_state[self.rows.ent]
            out[placeholder & (state == 0)] = 0
            out[placeholder & (state == -1)] = -1
        return out

    def enterprise_caps(self, eligible: np.ndarray):
        rule = self.rule
        if rule.subject != "project":
            return
        live = (eligible != 0) & self.known & (self.rows.proj >= 0)
        ent = self.rows.ent
        for cap in rule.caps:
            if cap.per not in ("enterprise", "enterprise_year"):
                continue
            cap_fen = int(Fraction(cap.yuan.value * 100))
            fen = np.where(live[:, None], self.fen, 0)
            consuming = np.where((eligible == 1)[:, None], fen, 0)
            if cap.per == "enterprise_year":
                used = np.zeros_like(fen)
                for col in range(fen.shape[1]):
                    used[:, col] = _group_exclusive_cumsum(consuming[:, col], ent)
                room = np.maximum(0, cap_fen - np.minimum(cap_fen, used))
            else:
                flat = consuming.reshape(-1)
                groups = np.repeat(ent, fen.shape[1])
                used = _group_exclusive_cumsum(flat, groups).reshape(fen.shape)
                received = np.fromiter(
                    (self.table.received[e].get(rule.key, 0) for e in ent),
                    dtype=I64,
                    count=len(ent),
                )
                used = used + received[:, None]
                room = np.maximum(0, cap_fen - used)
            after = np.minimum(fen, room)
            bound = (after < fen).any(axis=1) & live
            self.fen = np.where(live[:, None], after, self.fen)
            self.mark_binding(bound, cap.per, _yuan_text(Fraction(cap_fen)))


def _yuan_text(fen: Fraction) -> str:
    value = int(fen)
    return f"{value // 100}.{value % 100:02d}"


def screen(
    catalogue: dict[str, list[Rule]],
    table: FactTable,
    as_of: date,
    *,
    item: str,
) -> ScreenResult:
    """One item over the whole table, stacking with its group applied."""
    versions = catalogue.get(item)
    if versions is None:
        raise KeyError(item)
    rule = version_in_force(versions, as_of)
    if rule is None:
        n = table.n_enterprises
        return ScreenResult(
            item,
            None,
            np.arange(n),
            np.full(n, -1),
            [None] * n,
            np.zeros(n, dtype=np.int8),
            np.zeros(n, dtype=I64),
            [None] * n,
        )
    evaluation = _Evaluation(rule, table, as_of)
    eligible = evaluation.eligible()
    evaluation.enterprise_caps(eligible)
    amount = evaluation.fen.sum(axis=1)
    unknown_amount = ~evaluation.known & (eligible != 0)
    if rule.subject == "project":
        placeholder = evaluation.rows.proj < 0
        unknown_amount |= placeholder & (table.projects_state[evaluation.rows.ent] == -1)
    if rule.stacking is not None:
        amount = _stacking(
            catalogue, rule, evaluation, eligible, amount, unknown_amount, table, as_of
        )
    amount = np.where(eligible == 0, 0, amount)
    amount = np.where(unknown_amount, -1, amount)
    rows = evaluation.rows
    ids = np.asarray([*table.p_id, None], dtype=object)[rows.proj]
    binding = evaluation.binding_list((eligible != 0) & ~unknown_amount)
    return ScreenResult(
        rule.key, rule.version, rows.ent, rows.proj, ids, eligible, amount.astype(I64), binding
    )


def _stacking(catalogue, rule, evaluation, eligible, amount, unknown_amount, table, as_of):
    group, mode = rule.stacking.group, rule.stacking.mode
    members = []
    for key in sorted(catalogue):
        other = version_in_force(catalogue[key], as_of)
        if other is None or other.stacking is None or other.stacking.group != group:
            continue
        if other.key == rule.key:
            members.append((key, eligible, amount, ~unknown_amount))
            continue
        ev = _Evaluation(
            other, table, as_of, evaluation.rows if other.subject == rule.subject else None
        )
        if other.subject != rule.subject:
            continue  # groups mix subjects only in the explainer
        el = ev.eligible()
        ev.enterprise_caps(el)
        members.append((key, el, ev.fen.sum(axis=1), ev.known | (el == 0)))
    ent = evaluation.rows.ent
    mine = [m[0] for m in members].index(rule.key)
    if mode in ("highest", "exclusive"):
        live = np.stack([(el != 0) & known & (amt > 0) for _, el, amt, known in members])
        amts = np.stack(
            [np.where(lv, amt, -1) for lv, (_, _, amt, _) in zip(live, members, strict=True)]
        )
        count = live.sum(axis=0)
        winner = np.argmax(amts, axis=0)  # first maximum: the smallest id wins a tie
        lose = (count >= 2) & live[mine] & (winner != mine)
        return np.where(lose, 0, amount)
    if mode == "difference":
        keys = {m[0] for m in members} | {
            k
            for k, versions in catalogue.items()
            if (r := version_in_force(versions, as_of)) is not None
            and r.stacking is not None
            and r.stacking.group == group
        }
        received = np.fromiter(
            (
                table.received[e].get(group, 0)
                + sum(table.received[e].get(k, 0) for k in keys if k != group)
                for e in ent.tolist()
            ),
            dtype=I64,
            count=len(ent),
        )
        apply = (eligible != 0) & ~unknown_amount & (received > 0)
        return np.where(apply, np.maximum(0, amount - received), amount)
    # total_le_investment: items in id order, eligible ones use the investment up
    total, total_known = _AmountScreener(table, rule, as_of, evaluation.rows).money_fact(
        "project.total_investment"
    )
    used = np.zeros(len(amount), dtype=I64)
    result = amount
    for key, el, amt, known in members:
        active = (el != 0) & known & total_known & (evaluation.rows.proj >= 0)
        after = np.where(active, np.minimum(amt, np.maximum(0, total - used)), amt)
        if key == rule.key:
            result = after
            bound = active & (after < amt)
            evaluation.investment_total = total
            evaluation.mark_binding(bound, "investment", None)
        used = used + np.where(el == 1, after, 0)
    return result
