"""Deterministic demo data for policies: enterprises' transformation projects (智改数转项目)
with their investment split and loans, recognitions (专精特新, 小巨人, 单项冠军, 智能制造示范
工厂/车间) and a few credit records; and, for benchmarks, a million enterprises with a million
projects as engine facts.

Everything comes from ``random.Random(seed)``: the same seed and inputs give the same data.
No Django here: the platform's demo command (``zhizao.policies.demo``) writes what this returns.

What the numbers follow (the research note ``policy-engine-anchors.md`` and the shipped rules):
- a project's total investment is 2–200 million yuan, larger for larger firms (log-uniform
  within a band per size), so that a realistic share crosses Wuxi's 30 million threshold;
- equipment 40–70 % of it, of which 30–90 % intelligent equipment; software 5–20 %;
  technical services 3–12 %; other investment the rest;
- start dates 2023–2026, 6–24 months to completion;
- about 30 % of projects have one or two loans (20–70 % of the investment, 2.8–4.2 % a year,
  1–3 years), with the interest paid so far where the loan has run;
- about 5 % of projects leave one fact unknown (an amount or the start date), so that the
  calculator's "possibly, if …" shows;
- 专精特新 at provincial level for about 8 % of manufacturers, national 小巨人 for about 2 %
  (who also hold the provincial title), a few 单项冠军 and 智能制造示范工厂/车间;
- a credit record (失信, 经营异常, 行政处罚 …) for about 0.5 % of organisations.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from zhizao_core.policy import Enterprise, Loan, Project, Title

from .generator import BANKS, DEMO_SEED

DEMO_TODAY = date(2026, 11, 30)

PROJECT_KINDS = (
    ("intelligent_transformation", 45),
    ("digital_transformation", 20),
    ("equipment_renewal", 20),
    ("technology_upgrade", 7),
    ("networking", 5),
    ("green", 3),
)
# Total investment band (yuan) by enterprise size: log-uniform between the two.
INVESTMENT_BANDS = {
    "large": (20_000_000, 200_000_000),
    "medium": (5_000_000, 90_000_000),
    "small": (2_000_000, 40_000_000),
    "micro": (2_000_000, 8_000_000),
    "": (2_000_000, 40_000_000),
}
PROJECT_NAMES = {
    "intelligent_transformation": ["{w}车间智能化改造", "{w}智能工厂建设", "{w}产线自动化升级"],
    "digital_transformation": ["MES与ERP集成{w}", "{w}数字化车间建设", "工业互联网平台{w}"],
    "equipment_renewal": ["{w}设备更新", "{w}老旧设备替换", "{w}数控化改造"],
    "technology_upgrade": ["{w}工艺技术改造", "{w}扩能技改"],
    "networking": ["5G全连接工厂{w}", "{w}设备联网改造"],
    "green": ["{w}节能降碳改造", "{w}绿色工厂建设"],
}
PROJECT_WORDS = ["冲压", "焊装", "涂装", "总装", "机加工", "注塑", "装配", "包装", "仓储物流"]
PROJECT_WORDS += ["检测", "热处理", "铸造", "电控"]
UNKNOWN_FIELDS = ("software", "services", "other", "equipment", "start_date")
CREDIT_KINDS = (("abnormal", 45), ("penalty", 35), ("dishonest", 12), ("violation", 8))
CREDIT_TEXT = {
    "abnormal": "未按规定报送年度报告，列入经营异常名录",
    "penalty": "环保设施未正常运行，受到行政处罚",
    "dishonest": "未履行生效判决，列入失信被执行人名单",
    "violation": "重大税收违法失信主体",
}
# Strategic emerging industries in Changzhou's reading and the divisions of the demo registry.
DEFAULT_INDUSTRIES = (
    "3421", "3422", "3444", "3462", "3511", "3562", "3670", "3660", "3731", "3811",
    "3824", "3841", "3891", "3971", "3982", "3399", "2614", "2710", "2929", "3311",
    "3130", "1713", "1810", "3051", "4011", "6513", "5191",
)  # fmt: skip
# Districts where manufacturing is dense (GB/T 2260), repeated by weight.
DEFAULT_REGIONS = (
    ("320214", 5), ("320205", 3), ("320206", 3), ("320211", 2), ("320281", 3),  # 无锡
    ("320505", 5), ("320506", 3), ("320507", 2), ("320583", 3), ("320582", 3),  # 苏州
    ("320411", 3), ("320412", 3), ("320413", 2),  # 常州
    ("320115", 3), ("320116", 2), ("321012", 2), ("321003", 1),  # 南京 扬州
    ("310115", 4), ("310112", 3), ("310114", 2),  # 上海
    ("330110", 3), ("330106", 2), ("330212", 3), ("330206", 2), ("330482", 2),  # 浙江
    ("340104", 2), ("340111", 2), ("340207", 1), ("440305", 2), ("440306", 2),  # 皖 深圳
)  # fmt: skip


@dataclass(frozen=True)
class DemoOrg:
    """An organisation of the demo registry, as the generator needs it."""

    uscc: str
    region: str
    industry: str
    kind: str
    size: str


@dataclass(frozen=True)
class DemoLoan:
    lender_name: str
    amount_yuan: Decimal
    annual_rate: Decimal
    start_date: date
    end_date: date
    interest_paid_yuan: Decimal | None


@dataclass(frozen=True)
class DemoProject:
    uscc: str
    serial: int  # per organisation, from 1
    name: str
    kind: str
    region: str
    start_date: date | None
    completion_date: date | None
    status: str
    equipment_yuan: Decimal | None
    intelligent_equipment_yuan: Decimal | None
    software_yuan: Decimal | None
    services_yuan: Decimal | None
    other_yuan: Decimal | None
    loans: tuple[DemoLoan, ...] = ()

    @property
    def total_yuan(self) -> Decimal | None:
        parts = (self.equipment_yuan, self.software_yuan, self.services_yuan, self.other_yuan)
        return None if any(p is None for p in parts) else sum(parts, Decimal(0))


@dataclass(frozen=True)
class DemoRecognition:
    uscc: str
    title: str
    level: str
    since: date
    reference: str


@dataclass(frozen=True)
class DemoCredit:
    uscc: str
    kind: str
    description: str
    start_date: date
    end_date: date | None
    source: str


@dataclass
class PolicyDemo:
    projects: list[DemoProject] = field(default_factory=list)
    recognitions: list[DemoRecognition] = field(default_factory=list)
    credit_records: list[DemoCredit] = field(default_factory=list)


# --- one project ------------------------------------------------------------------------------


def _weighted(rng: random.Random, table) -> str:
    total = sum(w for _, w in table)
    roll = rng.random() * total
    for value, weight in table:
        roll -= weight
        if roll < 0:
            return value
    return table[-1][0]


def _draw_split(rng: random.Random, size: str) -> tuple[int, int, int, int, int]:
    """Equipment, intelligent equipment, software, services, other — in fen, summing to a
    total rounded to 100 yuan."""
    lo, hi = INVESTMENT_BANDS.get(size, INVESTMENT_BANDS[""])
    total = int(math.exp(rng.uniform(math.log(lo), math.log(hi))) / 100) * 100  # yuan
    equipment = int(total * rng.uniform(0.40, 0.70) / 100) * 100
    software = int(total * rng.uniform(0.05, 0.20) / 100) * 100
    services = int(total * rng.uniform(0.03, 0.12) / 100) * 100
    services = min(services, total - equipment - software)
    other = total - equipment - software - services
    intelligent = int(equipment * rng.uniform(0.30, 0.90) / 100) * 100
    return equipment * 100, intelligent * 100, software * 100, services * 100, other * 100


def _interest_paid(amount_fen: int, rate: Fraction, start: date, end: date, today: date):
    """Interest paid up to ``today`` (simple, actual/365), or None when not yet started."""
    if start > today:
        return None
    days = (min(end, today) - start).days + 1
    return int(Fraction(amount_fen) * rate * days / 365)


def _draw_loans(rng, total_fen: int, start: date, today: date) -> list[tuple]:
    loans = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        amount = int(total_fen * rng.uniform(0.20, 0.70) / 1_000_000) * 1_000_000 or 1_000_000
        rate = Fraction(rng.randrange(280, 421, 5), 10_000)  # 2.80 % … 4.20 % in 0.05 steps
        begin = start + timedelta(days=rng.randrange(0, 120))
        end = date(begin.year + rng.choice((1, 2, 3)), begin.month, 1) - timedelta(days=1)
        paid = _interest_paid(amount, rate, begin, end, today) if rng.random() < 0.8 else None
        loans.append((rng.choice(BANKS), amount, rate, begin, end, paid))
    return loans


def _draw_project(rng: random.Random, size: str, today: date):
    """The raw facts of one project: kind, start, completion, amounts in fen (None unknown),
    loans (list of tuples), which fact was left unknown."""
    kind = _weighted(rng, PROJECT_KINDS)
    start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365))
    completion = start + timedelta(days=rng.randrange(180, 730))
    equipment, intelligent, software, services, other = _draw_split(rng, size)
    total = equipment + software + services + other
    loans = _draw_loans(rng, total, start, today) if rng.random() < 0.30 else []
    unknown = rng.choice(UNKNOWN_FIELDS) if rng.random() < 0.05 else None
    if unknown is None and rng.random() < 0.05:
        unknown = "intelligent_equipment"
    return (
        kind,
        start,
        completion,
        [equipment, intelligent, software, services, other],
        loans,
        unknown,
    )


def _status(start: date | None, completion: date | None, today: date) -> str:
    if start is None or start > today:
        return "planned"
    if completion is not None and completion <= today:
        return "completed"
    return "in_progress"


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)


def _rate(rate: Fraction) -> Decimal:
    return (Decimal(rate.numerator) / Decimal(rate.denominator)).quantize(Decimal("0.0001"))


MONEY = ("equipment", "intelligent_equipment", "software", "services", "other")


def demo_project(rng: random.Random, org: DemoOrg, serial: int, today: date) -> DemoProject:
    kind, start, completion, amounts, loans, unknown = _draw_project(rng, org.size, today)
    money = dict(zip(MONEY, amounts, strict=True))
    if unknown in money:
        money[unknown] = None
        if unknown == "equipment":
            money["intelligent_equipment"] = None
    if unknown == "start_date":
        start = completion = None
    name = rng.choice(PROJECT_NAMES[kind]).format(w=rng.choice(PROJECT_WORDS))
    return DemoProject(
        uscc=org.uscc,
        serial=serial,
        name=name,
        kind=kind,
        region=org.region,
        start_date=start,
        completion_date=completion,
        status=_status(start, completion, today),
        equipment_yuan=_yuan(money["equipment"]),
        intelligent_equipment_yuan=_yuan(money["intelligent_equipment"]),
        software_yuan=_yuan(money["software"]),
        services_yuan=_yuan(money["services"]),
        other_yuan=_yuan(money["other"]),
        loans=tuple(
            DemoLoan(bank, _yuan(amount), _rate(rate), begin, end, _yuan(paid))
            for bank, amount, rate, begin, end, paid in loans
        ),
    )


# --- recognitions and credit ------------------------------------------------------------------


def _since(rng: random.Random, lo: int, hi: int) -> date:
    return date(rng.randint(lo, hi), rng.choice((3, 6, 9, 12)), rng.choice((1, 15)))


def _recognitions(rng: random.Random, org: DemoOrg) -> list[DemoRecognition]:
    out = []
    province = org.region[:2]
    prefix = {"32": "苏工信", "33": "浙经信", "31": "沪经信", "34": "皖经信"}.get(province, "工信")
    roll = rng.random()
    if roll < 0.02:
        since = _since(rng, 2019, 2023)
        out.append(
            DemoRecognition(
                org.uscc, "专精特新", "provincial", since, f"{prefix}中小〔{since.year}〕号"
            )
        )
        giant = _since(rng, max(since.year + 1, 2021), 2025)
        out.append(
            DemoRecognition(
                org.uscc, "专精特新小巨人", "national", giant, f"工信部企业函〔{giant.year}〕号"
            )
        )
    elif roll < 0.10:
        since = _since(rng, 2019, 2025)
        out.append(
            DemoRecognition(
                org.uscc, "专精特新", "provincial", since, f"{prefix}中小〔{since.year}〕号"
            )
        )
    if org.size in ("large", "medium") and rng.random() < 0.02:
        title = rng.choice(("单项冠军企业", "单项冠军产品"))
        level = "national" if rng.random() < 0.4 else rng.choice(("provincial", "city"))
        out.append(
            DemoRecognition(org.uscc, title, level, _since(rng, 2018, 2025), "单项冠军认定公告")
        )
    roll = rng.random()
    if roll < 0.01:
        level = "national" if rng.random() < 0.3 else "provincial"
        out.append(
            DemoRecognition(
                org.uscc,
                "智能制造示范工厂",
                level,
                _since(rng, 2021, 2025),
                "智能制造示范工厂揭榜名单",
            )
        )
    elif roll < 0.05:
        out.append(
            DemoRecognition(
                org.uscc,
                "智能制造示范车间",
                "provincial",
                _since(rng, 2020, 2025),
                "省级智能制造示范车间名单",
            )
        )
    return out


def _credit(rng: random.Random, org: DemoOrg, today: date) -> DemoCredit:
    kind = _weighted(rng, CREDIT_KINDS)
    start = date(2022, 1, 1) + timedelta(days=rng.randrange(0, (today - date(2022, 1, 1)).days))
    end = None
    if kind in ("abnormal", "penalty") and rng.random() < 0.4:
        end = start + timedelta(days=rng.randrange(90, 365))
        end = min(end, today)
    source = "国家企业信用信息公示系统" if kind != "dishonest" else "中国执行信息公开网"
    return DemoCredit(org.uscc, kind, CREDIT_TEXT[kind], start, end, source)


def generate_policy_demo(
    orgs: Sequence[DemoOrg],
    *,
    seed: int = DEMO_SEED,
    today: date = DEMO_TODAY,
    project_share: float = 1.0,
) -> PolicyDemo:
    """Projects for manufacturers (0–3 each, about 1.6 on average; ``project_share`` thins them),
    recognitions for manufacturers and credit records for any organisation, in ``orgs`` order."""
    rng = random.Random(seed)
    demo = PolicyDemo()
    for org in orgs:
        if org.kind == "manufacturer":
            roll = rng.random()
            count = 0 if roll < 0.12 else 1 if roll < 0.55 else 2 if roll < 0.85 else 3
            if project_share < 1.0 and rng.random() >= project_share:
                count = 0
            for serial in range(1, count + 1):
                demo.projects.append(demo_project(rng, org, serial, today))
            demo.recognitions += _recognitions(rng, org)
        if rng.random() < 0.005:
            demo.credit_records.append(_credit(rng, org, today))
    return demo


# --- a million enterprises for the benchmarks -------------------------------------------------


def _uscc(serial: int) -> str:
    # 18 characters, unique per serial; the check digit is not needed by the engine.
    return f"91{serial:016d}"


def benchmark_enterprises(
    enterprises: int = 1_000_000,
    projects: int | None = None,
    *,
    seed: int = DEMO_SEED,
    today: date = DEMO_TODAY,
    regions: Sequence[tuple[str, int]] = DEFAULT_REGIONS,
    industries: Sequence[str] = DEFAULT_INDUSTRIES,
) -> list[Enterprise]:
    """``enterprises`` engine facts with ``projects`` projects in all (default: as many as
    enterprises), drawn like the demo's: each project goes to an enterprise picked at random,
    so some hold none (about 37 %) and some several. About 10 % of enterprises hold a title
    and about 60 % have a known maturity level. Takes about 10 µs per project."""
    projects = enterprises if projects is None else projects
    rng = random.Random(seed)
    region_pool = [code for code, weight in regions for _ in range(weight)]
    sizes = ("large",) * 6 + ("medium",) * 20 + ("small",) * 54 + ("micro",) * 20
    owners = [0] * enterprises
    for _ in range(projects):
        owners[rng.randrange(enterprises)] += 1
    out = []
    serial = 0
    empty: tuple = ()
    choice, rand = rng.choice, rng.random
    for i in range(enterprises):
        size = choice(sizes)
        count = owners[i]
        plist = []
        for _ in range(count):
            serial += 1
            kind, start, _completion, amounts, loans, unknown = _draw_project(rng, size, today)
            if unknown in MONEY:
                amounts[MONEY.index(unknown)] = None
                if unknown == "equipment":
                    amounts[1] = None
            plist.append(
                Project(
                    id=str(serial),
                    kind=kind,
                    start_date=None if unknown == "start_date" else start,
                    equipment_fen=amounts[0],
                    intelligent_equipment_fen=amounts[1],
                    software_fen=amounts[2],
                    services_fen=amounts[3],
                    other_fen=amounts[4],
                    loans=tuple(
                        Loan(amount, rate, begin, end, paid)
                        for _bank, amount, rate, begin, end, paid in loans
                    ),
                )
            )
        roll = rand()
        titles = empty
        if roll < 0.08:
            titles = (Title("专精特新", "provincial", date(2022, 6, 1)),)
        elif roll < 0.10:
            titles = (
                Title("专精特新", "provincial", date(2021, 6, 1)),
                Title("专精特新小巨人", "national", date(2023, 7, 1)),
            )
        elif roll < 0.101:
            titles = (
                Title(choice(("单项冠军企业", "单项冠军产品")), "national", date(2024, 1, 1)),
            )
        out.append(
            Enterprise(
                uscc=_uscc(i + 1),
                name=f"基准企业{i + 1}",
                region=choice(region_pool),
                industry=choice(industries),
                titles=titles,
                maturity_level=rng.randint(0, 4) if rand() < 0.6 else None,
                projects=tuple(plist),
            )
        )
    return out
