"""Deterministic, realistic demo organisations for the Yangtze River Delta.

Everything comes from ``random.Random(seed)``: the same seed, size and inputs give the same
organisations. Names and credit codes are unique up to a million organisations; the generator
yields one dict at a time and never holds the whole set.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zhizao_core.registry.uscc import make_uscc

DEMO_SEED = 20261123


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    city_code: str
    city_name: str
    province_code: str


@dataclass(frozen=True)
class IndustryRef:
    code: str
    name: str


@dataclass(frozen=True)
class ChainNodeRef:
    code: str
    chain_code: str
    name: str
    position: str
    industries: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ClusterRef:
    code: str
    name: str
    chains: tuple[str, ...]


# Where manufacturing is dense, more organisations are placed.
CITY_WEIGHTS = {
    "苏州市": 14,
    "无锡市": 10,
    "常州市": 8,
    "南京市": 7,
    "宁波市": 8,
    "杭州市": 8,
    "上海市": 9,
    "合肥市": 6,
    "南通市": 5,
    "嘉兴市": 4,
    "绍兴市": 4,
    "台州市": 4,
    "温州市": 4,
    "泰州市": 3,
    "扬州市": 3,
    "镇江市": 3,
    "徐州市": 3,
    "盐城市": 2,
    "金华市": 3,
    "湖州市": 2,
    "芜湖市": 3,
}
KIND_SHARES = (
    ("manufacturer", 80),
    ("provider", 10),
    ("bank", 4),
    ("university", 2),
    ("society", 2),
    ("government", 2),
)

ZIHAO_A = "恒华盛鑫宏泰瑞天明昌永隆信达通博德汇利嘉金丰源海新润聚创精科卓中远安宇佳兴富祥东正"
ZIHAO_B = "润达泰盛丰源华通宇科力成信合恒昌瑞邦鼎晟晨越嘉诚联翔锐腾普威特凯迈捷"

# Products and a trade word by GB/T 4754 division.
PRODUCTS = {
    "13": ("食品", ["大米", "面粉", "饲料", "植物油"]),
    "14": ("食品", ["乳制品", "速冻食品", "调味品"]),
    "15": ("饮料", ["黄酒", "茶饮料", "啤酒"]),
    "17": ("纺织", ["涤纶长丝", "棉纱", "印染布", "家纺面料"]),
    "18": ("服饰", ["针织服装", "职业装", "羽绒服"]),
    "19": ("皮革", ["皮革制品", "鞋材"]),
    "20": ("木业", ["木门", "人造板", "地板"]),
    "21": ("家具", ["办公家具", "定制家具"]),
    "22": ("纸业", ["瓦楞纸箱", "特种纸"]),
    "23": ("印务", ["包装印刷", "标签"]),
    "24": ("文体用品", ["文具", "运动器材"]),
    "25": ("石化", ["成品油", "沥青"]),
    "26": ("化工", ["精细化学品", "涂料", "工业气体", "合成树脂", "电解液"]),
    "27": ("医药", ["化学原料药", "制剂", "医用敷料", "中成药"]),
    "28": ("化纤", ["锦纶", "氨纶", "涤纶短纤"]),
    "29": ("塑胶", ["注塑件", "橡胶密封件", "塑料薄膜", "改性塑料"]),
    "30": ("建材", ["玻璃纤维", "特种玻璃", "陶瓷", "水泥制品"]),
    "31": ("钢铁", ["特钢", "冷轧板", "线材"]),
    "32": ("金属材料", ["铝型材", "铜箔", "多晶硅", "稀土材料"]),
    "33": ("金属制品", ["紧固件", "五金件", "钢结构", "模具"]),
    "34": ("精密机械", ["数控车床", "加工中心", "减速机", "液压阀", "轴承", "空压机"]),
    "35": ("装备", ["工程机械", "纺织机械", "包装机械", "医疗器械", "锂电设备", "光伏设备"]),
    "36": ("汽车零部件", ["制动系统", "转向节", "线束", "座椅", "新能源汽车"]),
    "37": ("交通装备", ["船舶配套", "轨道交通装备", "电动自行车"]),
    "38": ("电气", ["变压器", "光伏逆变器", "锂电池", "电线电缆", "电机", "储能系统"]),
    "39": ("电子", ["PCB", "传感器", "半导体封装", "集成电路", "光模块", "显示面板"]),
    "40": ("仪器仪表", ["工业仪表", "检测仪器", "智能电表"]),
    "41": ("制品", ["工艺品", "日用杂品"]),
    "42": ("再生资源", ["再生金属", "废旧电池回收"]),
    "43": ("设备维修", ["设备维修服务"]),
}
MANUFACTURER_CAPABILITIES = [
    "精益生产",
    "ISO 9001",
    "IATF 16949",
    "ISO 14001",
    "自动化产线",
    "数字化车间",
    "ERP",
    "MES 已上线",
    "设备联网",
    "质量追溯",
    "绿色工厂",
    "专精特新",
]
PROVIDER_WORDS = [
    "智能科技",
    "工业软件",
    "自动化",
    "信息技术",
    "数字科技",
    "智能装备",
    "物联网科技",
]
PROVIDER_CAPABILITIES = [
    "MES",
    "工业互联网平台",
    "机器视觉检测",
    "预测性维护",
    "数字孪生",
    "WMS",
    "APS",
    "能源管理",
    "工业网络",
    "智能仓储",
    "工业机器人集成",
    "ERP 实施",
    "数据采集",
    "质量管理系统",
    "AGV",
    "5G 工厂",
]
BANKS = [
    "中国工商银行",
    "中国农业银行",
    "中国银行",
    "中国建设银行",
    "交通银行",
    "江苏银行",
    "南京银行",
    "宁波银行",
    "杭州银行",
    "招商银行",
    "兴业银行",
    "浦发银行",
]
BANK_PRODUCTS = ["设备更新贷款", "技改贷款", "科创贷", "供应链金融", "融资租赁"]
UNIVERSITIES = [
    "江南大学",
    "南京理工大学",
    "东南大学",
    "浙江大学",
    "中国科学技术大学",
    "合肥工业大学",
    "上海交通大学",
    "南京航空航天大学",
    "江苏大学",
    "浙江工业大学",
    "苏州大学",
    "河海大学",
]
SOCIETY_TOPICS = [
    "机械工程学会",
    "自动化学会",
    "物联网产业协会",
    "智能制造产业联盟",
    "电子学会",
    "软件行业协会",
    "模具工业协会",
    "纺织工程学会",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志宏文斌鹏辉飞红玲晨浩宇欣怡子轩"
TITLES = ["总经理", "副总经理", "生产总监", "信息化负责人", "技术总监", "办公室主任", "财务经理"]
STREETS = [
    "长江路",
    "人民路",
    "解放路",
    "建设路",
    "科技大道",
    "创新路",
    "高新路",
    "工业园路",
    "太湖大道",
    "钱塘路",
    "中山路",
    "文化路",
    "开发区大道",
    "新华路",
]
SERVICE_INDUSTRIES = {
    "provider": "6513",
    "bank": "",
    "university": "",
    "society": "",
    "government": "",
}


def _size_for(rng: random.Random) -> tuple[str, int, Decimal]:
    roll = rng.random()
    if roll < 0.06:
        employees = rng.randint(1000, 12000)
        return "large", employees, Decimal(rng.randint(40000, 2000000))
    if roll < 0.26:
        employees = rng.randint(300, 999)
        return "medium", employees, Decimal(rng.randint(8000, 40000))
    if roll < 0.80:
        employees = rng.randint(20, 299)
        return "small", employees, Decimal(rng.randint(300, 8000))
    employees = rng.randint(3, 19)
    return "micro", employees, Decimal(rng.randint(20, 300))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _pinyin_domain(serial: int) -> str:
    return f"demo{serial:07d}.example.cn"


def _contacts(rng: random.Random, domain: str) -> list[dict]:
    people = []
    for index in range(rng.choice((1, 1, 2, 3))):
        people.append(
            {
                "name": _person(rng),
                "title": TITLES[index] if index < len(TITLES) else rng.choice(TITLES),
                "phone": f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                "email": f"contact{index + 1}@{domain}",
            }
        )
    return people


def _city_short(city_name: str) -> str:
    return city_name.removesuffix("市")


def generate_organizations(
    *,
    seed: int,
    size: int,
    regions: Sequence[RegionRef],
    industries: Sequence[IndustryRef],
    chain_nodes: Sequence[ChainNodeRef] = (),
    clusters: Sequence[ClusterRef] = (),
) -> Iterator[dict]:
    if not regions:
        raise ValueError("regions must not be empty")
    rng = random.Random(seed)
    weights = [CITY_WEIGHTS.get(r.city_name, 1) for r in regions]
    cumulative = []
    total = 0
    for w in weights:
        total += w
        cumulative.append(total)
    manufacturing = [i for i in industries if i.code[:2].isdigit() and 13 <= int(i.code[:2]) <= 43]
    by_division: dict[str, list[IndustryRef]] = {}
    for industry in manufacturing:
        by_division.setdefault(industry.code[:2], []).append(industry)
    divisions = sorted(by_division)
    kinds = [k for k, _ in KIND_SHARES]
    kind_weights = [w for _, w in KIND_SHARES]
    nodes_by_prefix: list[tuple[str, ChainNodeRef]] = [
        (prefix, node) for node in chain_nodes for prefix in node.industries
    ]
    cluster_by_chain: dict[str, list[str]] = {}
    for cluster in clusters:
        for chain in cluster.chains:
            cluster_by_chain.setdefault(chain, []).append(cluster.code)
    by_industry: dict[str, list[str]] = {}
    used_names: set[str] = set()
    government_cities: set[str] = set()
    universities_left = list(UNIVERSITIES)

    for serial in range(size):
        region = regions[_bisect(cumulative, rng.random() * total)]
        kind = rng.choices(kinds, kind_weights)[0]
        city = _city_short(region.city_name)
        if kind == "government" and region.city_code in government_cities:
            kind = "manufacturer"
        if kind == "university" and not universities_left and rng.random() < 0.5:
            kind = "provider"
        industry = ""
        products: list[str] = []
        capabilities: list[str] = []
        description = ""
        department, entity_type = "9", "1"
        size_class, employees, revenue = _size_for(rng)
        if kind == "manufacturer" and divisions:
            division = rng.choice(divisions)
            industry_ref = rng.choice(by_division[division])
            industry = industry_ref.code
            word, vocabulary = PRODUCTS.get(division, ("制造", [industry_ref.name]))
            products = rng.sample(vocabulary, k=min(len(vocabulary), rng.randint(1, 3)))
            capabilities = rng.sample(MANUFACTURER_CAPABILITIES, k=rng.randint(1, 4))
            suffix = "股份有限公司" if size_class == "large" and rng.random() < 0.6 else "有限公司"
            base = f"{city}{{zihao}}{word}{suffix}"
            description = f"主要从事{industry_ref.name}，产品包括{'、'.join(products)}。"
        elif kind == "provider":
            industry = (
                SERVICE_INDUSTRIES["provider"] if any(i.code == "6513" for i in industries) else ""
            )
            word = rng.choice(PROVIDER_WORDS)
            capabilities = rng.sample(PROVIDER_CAPABILITIES, k=rng.randint(2, 5))
            products = [f"{c}解决方案" for c in capabilities[:2]]
            base = f"{city}{{zihao}}{word}有限公司"
            description = f"智能制造系统解决方案服务商，提供{'、'.join(capabilities)}等服务。"
        elif kind == "bank":
            bank = rng.choice(BANKS)
            base = f"{bank}{city}{{branch}}"
            products = rng.sample(BANK_PRODUCTS, k=rng.randint(1, 3))
            description = f"为制造企业提供{'、'.join(products)}等金融服务。"
            size_class, employees, revenue = "", rng.randint(50, 600), None
        elif kind == "university":
            if universities_left:
                base = universities_left.pop(0)
            else:
                base = f"{city}{{zihao}}智能制造研究院"
            department, entity_type = "1", "2"
            capabilities = rng.sample(
                ["产学研合作", "检测认证", "人才培养", "技术转移", "联合实验室"], k=2
            )
            size_class, employees, revenue = "", rng.randint(200, 5000), None
            description = "开展智能制造领域的科研、人才培养与技术服务。"
        elif kind == "society":
            topic = rng.choice(SOCIETY_TOPICS)
            base = f"{city}{topic}"
            if base in used_names:
                base = f"{city}{region.name.removesuffix('区').removesuffix('县')}{topic}"
            if base in used_names:
                base = f"{city}{{zihao}}{topic}"
            department, entity_type = "5", "1"
            size_class, employees, revenue = "", rng.randint(3, 40), None
            capabilities = ["会员服务", "标准制定", "交流培训"]
            description = "行业组织，服务会员企业的交流、培训与标准工作。"
        else:
            government_cities.add(region.city_code)
            base = f"{region.city_name}工业和信息化局"
            department, entity_type = "1", "1"
            size_class, employees, revenue = "", rng.randint(40, 200), None
            description = "主管本地工业和信息化工作。"
        name = _unique_name(rng, base, used_names, region)
        domain = _pinyin_domain(serial)
        chain_codes: list[str] = []
        if kind in {"manufacturer", "provider"} and industry:
            if industry not in by_industry:  # the nodes an industry code falls under, once
                found: list[str] = []
                for prefix, node in nodes_by_prefix:
                    if industry.startswith(prefix) and node.code not in found:
                        found.append(node.code)
                by_industry[industry] = found
            chain_codes = list(by_industry[industry])
            if products:
                for node in chain_nodes:
                    if node.code not in chain_codes and any(k in products for k in node.keywords):
                        chain_codes.append(node.code)
        cluster_codes: list[str] = []
        if chain_codes:
            chosen = set(chain_codes)
            for node in chain_nodes:
                if node.code in chosen:
                    for code in cluster_by_chain.get(node.chain_code, []):
                        if code not in cluster_codes:
                            cluster_codes.append(code)
        yield {
            "name": name,
            "uscc": make_uscc(
                region=region.code,
                serial=serial + 1,
                department=department,
                entity_type=entity_type,
            ),
            "kind": kind,
            "region": region.code,
            "industry": industry,
            "size": size_class,
            "founded_year": rng.randint(1985, 2024)
            if kind in {"manufacturer", "provider"}
            else rng.randint(1950, 2015),
            "employees": employees,
            "revenue_wan": revenue,
            "address": f"{region.city_name}{region.name}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            "website": f"https://www.{domain}",
            "description": description,
            "products": products,
            "capabilities": capabilities,
            "clusters": cluster_codes,
            "chain_nodes": chain_codes,
            "contacts": _contacts(rng, domain),
        }


def _bisect(cumulative: list[int], value: float) -> int:
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] > value:
            high = middle
        else:
            low = middle + 1
    return low


def _unique_name(rng: random.Random, base: str, used: set[str], region: RegionRef) -> str:
    for _ in range(30):
        name = base.format(
            zihao=rng.choice(ZIHAO_A) + rng.choice(ZIHAO_B), branch=rng.choice(["分行", "支行"])
        )
        if "{" not in base and name in used:
            break
        if name not in used:
            used.add(name)
            return name
    # Crowded name space: keep the name realistic with the district as a branch marker.
    district = region.name.removesuffix("区").removesuffix("县").removesuffix("市")
    counter = 1
    while True:
        name = base.format(
            zihao=rng.choice(ZIHAO_A) + rng.choice(ZIHAO_B), branch=f"{district}支行"
        )
        candidate = name if counter == 1 else name.replace("有限公司", f"（{district}）有限公司")
        if "有限公司" not in candidate and counter > 1:
            candidate = f"{name}（{district}{counter}）"
        if candidate not in used:
            used.add(candidate)
            return candidate
        counter += 1
