"""Deterministic demo data for supply–demand matching: offerings (solutions, products and
services from providers, financial products from banks) and demands (from manufacturers), in
the contract format of ``zhizao match rank`` (docs/matching.md).

Everything comes from ``random.Random(seed)``: the same seed, size and organisations give the
same listings. No Django here: ``zhizao.matchmaking.demo`` writes what this returns for the
demo registry, and ``benchmarks/match_bench.py`` ranks a million of them.

What the text follows, so that lexical and semantic ranking have real work to do:
- every category of ``vocabulary.CATEGORIES`` has its own phrase bank: names and synonyms
  (an offering says "AOI外观缺陷检测", a demand "视觉检测" or "外观瑕疵自动识别"), features,
  technologies and protocols, measurable results of cases, the industries it is sold to, and
  on the demand side the pains and wishes of a factory in its own words;
- offerings of one provider share its brand, certifications, regions with service teams and
  two to four specialities; a few offerings serve a second category (MES + APS, WMS + 仓储自动化);
- cases carry a customer's industry, region and a result with a number in it;
- demands name 0–3 musts (the contract's strings and objects) and sometimes nice-to-haves, a
  budget band or none, and a share of them (a fifth) describe the need without the category's
  usual name, so only the features and the semantics can find it.

Offerings: ``{"id", "kind", "title", "description", "categories", "industries", "regions",
"certifications", "cases", "provider", "price_min_yuan", "price_max_yuan"}`` (``provider`` is
the owner's credit code, or a serial for synthetic owners; the catalogue parser takes it for
the diversity rule); demands: ``{"id", "title", "description", "category", "industry",
"region", "budget_yuan", "must", "nice", "enterprise"}`` (``enterprise``, the owner's credit
code, is not part of the contract and the parser ignores it).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from zhizao_core.matching.vocabulary import CATEGORIES

from .generator import BANKS, DEMO_SEED, ZIHAO_A, ZIHAO_B

__all__ = [
    "CITIES",
    "DEMO_SEED",
    "INDUSTRIES",
    "PHRASES",
    "OrgRef",
    "generate_demands",
    "generate_offerings",
    "synthetic_organizations",
]


@dataclass(frozen=True)
class OrgRef:
    """An organisation of the registry as plain data."""

    uscc: str
    kind: str  # provider | bank | manufacturer
    region: str  # GB/T 2260 district code (6 digits)
    industry: str = ""  # GB/T 4754 class code
    name: str = ""


# ---------------------------------------------------------------------------------------------
# Places and industries (GB/T 2260, GB/T 4754-2017; codes checked against the registry's data)

#: city code → (short name, weight, district codes)
CITIES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "320500": ("苏州", 14, ("320505", "320506", "320507", "320509", "320581", "320582", "320583")),
    "320200": ("无锡", 10, ("320205", "320206", "320211", "320213", "320214", "320281", "320282")),
    "320400": ("常州", 8, ("320402", "320404", "320411", "320412", "320413")),
    "320100": ("南京", 7, ("320102", "320104", "320105", "320106", "320111")),
    "310100": ("上海", 9, ("310112", "310113", "310114", "310115", "310117")),
    "330200": ("宁波", 8, ("330203", "330205", "330206", "330211", "330212", "330282")),
    "330100": ("杭州", 8, ("330102", "330105", "330106", "330108", "330109")),
    "340100": ("合肥", 6, ("340102", "340103", "340104", "340111", "340121")),
    "320600": ("南通", 5, ("320612", "320613", "320614", "320681")),
    "330400": ("嘉兴", 4, ("330402", "330411", "330421", "330424", "330481")),
    "330600": ("绍兴", 4, ("330602", "330603", "330604", "330681")),
    "331000": ("台州", 4, ("331002", "331003", "331004")),
    "330300": ("温州", 4, ("330302", "330303", "330304", "330381", "330382")),
    "321200": ("泰州", 3, ("321202", "321203", "321204", "321282")),
    "321000": ("扬州", 3, ("321002", "321003", "321012", "321081")),
    "321100": ("镇江", 3, ("321102", "321111", "321112", "321181", "321182")),
    "320300": ("徐州", 3, ("320302", "320303", "320311", "320312")),
    "330700": ("金华", 3, ("330702", "330703", "330723")),
    "320900": ("盐城", 2, ("320902", "320903", "320904")),
    "330500": ("湖州", 2, ("330502", "330503", "330521", "330522")),
    "340200": ("芜湖", 3, ("340202", "340207", "340209", "340212")),
}
PROVINCE_NAMES = {"310000": "上海", "320000": "江苏", "330000": "浙江", "340000": "安徽"}

#: GB/T 4754 class code → (short name used in text, weight among manufacturers)
INDUSTRIES: dict[str, tuple[str, int]] = {
    "3670": ("汽车零部件", 12),
    "3612": ("新能源整车", 2),
    "2929": ("注塑件", 8),
    "3484": ("机械零部件加工", 6),
    "3482": ("紧固件", 4),
    "3311": ("钢结构", 3),
    "3360": ("热处理与表面处理", 3),
    "3130": ("钢材轧制", 2),
    "3252": ("铝型材", 3),
    "3421": ("数控机床", 3),
    "3422": ("成形机床", 1),
    "3824": ("功率半导体", 2),
    "3841": ("锂电池", 5),
    "3825": ("光伏组件", 4),
    "3982": ("PCB电路板", 5),
    "3976": ("光电子器件", 2),
    "3974": ("显示面板", 2),
    "3821": ("变压器", 2),
    "3831": ("电线电缆", 3),
    "4011": ("工控设备", 2),
    "3442": ("空压机", 2),
    "3523": ("塑料机械", 2),
    "3544": ("制药装备", 1),
    "3581": ("医疗器械", 2),
    "2710": ("原料药", 2),
    "2720": ("化学制剂", 2),
    "2614": ("有机化工", 2),
    "2641": ("涂料", 2),
    "1713": ("印染", 3),
    "1819": ("服装", 2),
    "2110": ("家具", 2),
    "3051": ("技术玻璃", 1),
    "2231": ("纸箱包装", 2),
    "1331": ("食用油", 1),
    "1353": ("肉制品", 1),
    "3731": ("船舶", 1),
    "2651": ("合成树脂", 1),
}

# ---------------------------------------------------------------------------------------------
# Phrase banks per category

# Placeholders in results: {p} a percentage, {a}/{b} a before/after percentage, {d} days,
# {h} hours, {m} minutes, {w} ten-thousands of yuan (万元), {n} a count.
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "mes": {
        "names": (
            "MES",
            "制造执行系统",
            "生产执行系统",
            "车间管理系统",
            "云MES",
            "MOM制造运营管理平台",
        ),
        "features": (
            "生产工单下达与派工",
            "扫码报工",
            "在制品跟踪",
            "物料防错防呆",
            "正反向质量追溯",
            "设备OEE统计",
            "电子看板与安灯",
            "工艺路线与BOM管理",
            "首件检验与巡检",
            "计件工资核算",
            "批次与序列号管理",
            "SPC统计过程控制",
            "工装夹具管理",
            "异常停线管理",
        ),
        "tech": (
            "与SAP、用友U8、金蝶云星空标准接口",
            "PDA扫码",
            "RFID识别",
            "条码标签打印",
            "OPC UA采集",
            "微服务架构",
            "低代码表单配置",
            "私有化部署",
            "支持SaaS订阅",
        ),
        "results": (
            "订单准时交付率从{a}%提升到{b}%",
            "在制品库存下降{p}%",
            "质量追溯时间从{h}小时缩短到{m}分钟",
            "纸质单据减少{p}%",
            "人均产值提升{p}%",
            "生产数据实时率达到{b}%",
        ),
        "industries": (
            "3670",
            "2929",
            "3484",
            "3482",
            "3982",
            "3841",
            "3825",
            "2720",
            "1819",
            "2110",
            "3831",
            "3821",
        ),
        "pains": (
            "车间还在用纸质工单和Excel统计，数据滞后一天以上",
            "出了质量问题追溯一批产品要翻好几天单据",
            "主机厂审核要求零部件全流程可追溯",
            "现场在制品和设备状态看不清，交期经常延误",
            "计件工资靠班组长手工统计，经常出错",
            "多品种小批量，换线频繁，进度掌握不住",
        ),
        "wants": (
            "上线MES，实现工单下达、扫码报工和质量追溯",
            "建设车间管理系统并与现有ERP打通",
            "实现生产过程透明化，车间装电子看板",
            "做批次追溯和物料防错",
        ),
        "plain": ("把车间报工、追溯和看板做成系统", "让每个工单、每批物料在车间里都能查到去向"),
        "titles": (
            "{w}车间生产执行系统建设",
            "{ind}企业MES项目",
            "车间报工与质量追溯系统",
            "{w}数字化车间（MES）",
        ),
    },
    "erp": {
        "names": ("ERP", "企业资源计划", "业财一体化系统", "进销存与财务系统", "云ERP"),
        "features": (
            "销售订单与发货管理",
            "采购与供应商协同",
            "库存与成本核算",
            "MRP物料需求计划",
            "财务总账与应收应付",
            "多组织多工厂",
            "业财一体化",
            "费用报销",
            "预算管控",
            "委外加工管理",
        ),
        "tech": (
            "用友U9 Cloud",
            "金蝶云星空",
            "SAP Business One",
            "鼎捷T100",
            "浪潮GS",
            "与MES、WMS接口",
            "移动审批",
        ),
        "results": (
            "月结时间从{d}天缩短到{m}小时",
            "库存周转天数减少{d}天",
            "采购成本下降{p}%",
            "账实相符率达到{b}%",
        ),
        "industries": (
            "3670",
            "2929",
            "3482",
            "3311",
            "3252",
            "2641",
            "2231",
            "1331",
            "2110",
            "3831",
        ),
        "pains": (
            "财务和仓库各记各的账，月底对账要一周",
            "成本算不清，报价心里没底",
            "多家子公司数据不通",
        ),
        "wants": (
            "替换老旧进销存，上线ERP实现业财一体化",
            "ERP升级并打通生产和财务",
            "实施ERP的MRP和成本核算模块",
        ),
        "plain": ("让采购、库存、财务用同一套数据", "月底不再手工对账、算成本"),
        "titles": ("{ind}企业ERP升级", "业财一体化系统实施", "{w}ERP选型与实施"),
    },
    "plm": {
        "names": ("PLM", "产品生命周期管理", "PDM研发数据管理", "研发协同平台"),
        "features": (
            "图文档管理",
            "BOM管理",
            "EBOM到MBOM转换",
            "设计变更ECN流程",
            "CAD集成",
            "项目管理",
            "零部件标准化与重用",
            "版本控制",
            "工艺设计CAPP",
        ),
        "tech": (
            "SolidWorks集成",
            "中望CAD集成",
            "CATIA集成",
            "NX集成",
            "与ERP的BOM同步",
            "国产化替代",
        ),
        "results": (
            "设计变更周期缩短{p}%",
            "零部件重用率提升到{b}%",
            "图纸查找时间减少{p}%",
            "新品研发周期缩短{p}%",
        ),
        "industries": (
            "3421",
            "3422",
            "3484",
            "3442",
            "3523",
            "3544",
            "3581",
            "3670",
            "4011",
            "3731",
        ),
        "pains": (
            "图纸散落在工程师个人电脑里，版本混乱",
            "设计变更传不到车间，常按旧图生产",
            "BOM靠Excel维护，错误多",
        ),
        "wants": ("建设PLM，管好图纸、BOM和设计变更", "上线研发数据管理并与CAD、ERP集成"),
        "plain": ("把图纸和物料清单集中管起来，改一次各处都对", "研发到生产的图纸版本统一"),
        "titles": ("研发数据管理（PLM）建设", "{ind}企业图文档与BOM管理", "设计变更与BOM管理系统"),
    },
    "aps": {
        "names": ("APS", "高级计划排程", "智能排产", "生产计划排程系统"),
        "features": (
            "有限产能排程",
            "插单与急单模拟",
            "多工序多资源约束",
            "换型时间优化",
            "物料齐套检查",
            "交期承诺",
            "甘特图调整",
            "模具与人员约束",
            "滚动计划",
        ),
        "tech": ("遗传算法与约束规划求解", "与MES实时反馈", "与ERP订单同步", "秒级重排"),
        "results": (
            "排产时间从{h}小时缩短到{m}分钟",
            "设备利用率提升{p}%",
            "交期达成率提升到{b}%",
            "换型次数减少{p}%",
        ),
        "industries": ("3670", "2929", "3482", "3484", "1713", "3982", "2231", "1819", "3831"),
        "pains": (
            "计划员靠经验和Excel排产，插单一来全乱",
            "交期承诺不准，客户投诉多",
            "换模频繁，设备等待时间长",
        ),
        "wants": ("上线APS智能排产，支持插单模拟", "解决多品种小批量的排程问题"),
        "plain": ("排产不再靠老师傅经验，急单来了能马上算出影响", "让计划跟得上订单变化"),
        "titles": ("{ind}智能排产系统", "生产计划排程优化", "{w}车间排产系统"),
    },
    "wms": {
        "names": ("WMS", "仓储管理系统", "仓库管理系统", "智能仓储软件"),
        "features": (
            "库位管理",
            "批次与先进先出",
            "波次拣选",
            "条码收发货",
            "盘点管理",
            "湿敏元件管控",
            "线边仓配送",
            "齐套配送",
            "出入库看板",
            "与AGV、立体库调度接口",
        ),
        "tech": ("PDA与RF枪", "亮灯拣选", "电子标签", "WCS设备控制", "与ERP、MES接口", "SaaS部署"),
        "results": (
            "库存准确率从{a}%提升到{b}%",
            "拣货效率提升{p}%",
            "仓库人员减少{p}%",
            "发货差错率下降{p}%",
        ),
        "industries": ("3982", "3670", "2929", "3841", "2720", "1331", "2231", "3581", "3831"),
        "pains": ("仓库账实不符，找料靠人记", "物料过期和呆滞严重", "发错货被客户索赔"),
        "wants": ("上线WMS，实现条码化收发和库位管理", "仓库管理系统与MES打通线边配送"),
        "plain": ("仓库里每箱物料放在哪、还剩多少一扫就知道", "收发货不再手写单据"),
        "titles": ("仓库条码化与WMS", "{ind}原材料仓管理系统", "成品仓储管理系统建设"),
    },
    "qms": {
        "names": ("质量管理系统", "QMS", "质量数字化平台", "LIMS实验室信息管理"),
        "features": (
            "来料检验IQC",
            "过程检验IPQC",
            "出货检验OQC",
            "SPC统计过程控制",
            "8D与CAPA",
            "供应商质量管理",
            "计量器具管理",
            "客诉管理",
            "FMEA与控制计划",
            "质量成本分析",
        ),
        "tech": ("量具数据自动采集", "符合IATF16949", "GMP数据完整性", "审计追踪", "移动端检验"),
        "results": (
            "客诉率下降{p}%",
            "检验记录无纸化{b}%",
            "质量问题闭环时间缩短{p}%",
            "一次合格率从{a}%提升到{b}%",
        ),
        "industries": ("3670", "2720", "2710", "3581", "3982", "3841", "2929", "3482"),
        "pains": (
            "检验记录全是纸质，审核时找不到",
            "客诉问题反复发生，8D没有闭环",
            "供应商来料质量波动大",
        ),
        "wants": ("上线质量管理系统，实现检验无纸化和SPC", "建立8D/CAPA闭环和供应商质量管理"),
        "plain": ("检验数据电子化，出了问题能追到原因并闭环", "让质量数据自动统计，不再手抄"),
        "titles": ("质量管理系统（QMS）建设", "{ind}企业检验无纸化", "SPC与质量追溯平台"),
    },
    "machine_vision": {
        "names": (
            "机器视觉检测",
            "视觉检测",
            "AOI自动光学检测",
            "AI视觉质检",
            "外观缺陷检测",
            "工业相机检测",
        ),
        "features": (
            "表面划伤与凹坑检测",
            "尺寸测量",
            "字符OCR识别",
            "装配错漏检",
            "焊缝检测",
            "深度学习缺陷分类",
            "少样本训练",
            "高速线阵成像",
            "3D视觉测量",
            "涂布瑕疵检测",
            "EL隐裂识别",
            "视觉引导定位",
        ),
        "tech": (
            "海康、巴斯勒工业相机",
            "线阵相机",
            "结构光3D相机",
            "GPU边缘推理",
            "与PLC联动剔除",
            "Halcon",
            "自研算法平台",
        ),
        "results": (
            "漏检率低于{s}%",
            "检测节拍{n}件/分钟",
            "质检人员减少{p}%",
            "误判率下降到{s}%",
            "缺陷检出率达到{b}%",
        ),
        "industries": (
            "3670",
            "3982",
            "3825",
            "3841",
            "3130",
            "3252",
            "2929",
            "3974",
            "3051",
            "3482",
        ),
        "pains": (
            "外观检验全靠人眼，漏检多、人员流失快",
            "客户投诉划伤和脏污，人工抽检跟不上节拍",
            "产品尺寸多，人工测量慢",
        ),
        "wants": ("用视觉检测替代人工目检", "上一套AI外观缺陷检测设备", "做在线尺寸测量和缺陷识别"),
        "plain": ("让相机代替质检员看产品表面的划伤、缺口", "产线上自动把有瑕疵的件挑出来"),
        "titles": ("{ind}外观缺陷自动检测", "{w}工序视觉检测改造", "在线尺寸测量与瑕疵识别"),
    },
    "predictive_maintenance": {
        "names": ("预测性维护", "设备健康管理", "PHM故障预测", "状态监测与故障诊断"),
        "features": (
            "振动与温度在线监测",
            "轴承与齿轮箱故障诊断",
            "剩余寿命预测",
            "频谱分析",
            "报警阈值自学习",
            "点检与维修工单",
            "备件管理",
            "电机电流特征分析",
            "油液监测",
        ),
        "tech": (
            "无线振动传感器",
            "边缘计算网关",
            "机理模型与AI结合",
            "专家远程诊断",
            "MQTT上云",
            "与EAM系统集成",
        ),
        "results": (
            "非计划停机减少{p}%",
            "维修成本下降{p}%",
            "故障提前{d}天预警",
            "设备综合效率提升{p}%",
        ),
        "industries": (
            "3130",
            "3442",
            "2614",
            "1713",
            "3252",
            "3311",
            "2231",
            "3670",
            "2710",
            "3731",
        ),
        "pains": (
            "关键设备突然停机，一停就是好几天",
            "维修靠事后抢修，备件库存大",
            "老师傅退休后没人会听声音判断故障",
        ),
        "wants": (
            "对关键设备做预测性维护",
            "上线设备状态监测和故障预警",
            "风机、泵、空压机振动在线监测",
        ),
        "plain": ("在设备坏之前就知道哪里要修", "关键机组装传感器，提前发现轴承问题"),
        "titles": ("关键设备预测性维护", "{w}设备状态监测", "{ind}设备健康管理平台"),
    },
    "energy_management": {
        "names": ("能源管理", "能耗在线监测", "EMS能源管理系统", "节能改造", "碳排放管理"),
        "features": (
            "分项计量",
            "能耗看板",
            "峰谷用电优化",
            "空压站群控",
            "余热回收",
            "光伏储能",
            "碳排放核算",
            "能效对标",
            "合同能源管理",
            "需量控制",
        ),
        "tech": (
            "智能电表与水气表",
            "Modbus采集",
            "永磁变频空压机",
            "与光伏逆变器对接",
            "碳足迹核算",
        ),
        "results": (
            "综合能耗下降{p}%",
            "年节约电费{w}万元",
            "空压站节电{p}%",
            "单位产品碳排放下降{p}%",
        ),
        "industries": (
            "3130",
            "2614",
            "1713",
            "3252",
            "2641",
            "3051",
            "3311",
            "3670",
            "3841",
            "2231",
        ),
        "pains": (
            "电费占成本比例高，不知道电用在哪",
            "空压机常年满载，能耗高",
            "客户要求提供碳足迹数据",
        ),
        "wants": (
            "上线能源管理系统，分车间计量",
            "空压站节能改造，最好合同能源管理",
            "建设屋顶光伏和储能",
        ),
        "plain": ("看清每条线、每台大设备用了多少电", "降低电费和碳排放"),
        "titles": ("能耗在线监测与节能", "空压站节能改造", "{ind}企业碳排放管理"),
    },
    "warehouse_automation": {
        "names": ("仓储物流自动化", "智能仓储", "自动化立体库", "AGV/AMR物流", "智能物流"),
        "features": (
            "堆垛机立体库",
            "四向穿梭车",
            "AGV/AMR搬运",
            "料箱机器人",
            "自动分拣线",
            "输送线与提升机",
            "产线物料自动配送",
            "托盘自动码垛",
            "RGV轨道车",
        ),
        "tech": ("激光SLAM导航", "二维码导航", "WCS调度", "与WMS、MES集成", "5G调度"),
        "results": (
            "存储密度提升{p}%",
            "搬运人员减少{n}人",
            "出入库效率提升{p}%",
            "叉车数量减少{p}%",
        ),
        "industries": ("3670", "3841", "3982", "2720", "1331", "2231", "3825", "2929", "3831"),
        "pains": (
            "仓库面积不够，物料堆在通道里",
            "车间物料靠叉车和人工搬运，效率低还不安全",
            "招不到搬运工",
        ),
        "wants": ("建设自动化立体库", "车间物流用AGV替代人工搬运", "上一套自动分拣和码垛线"),
        "plain": ("让物料自己从仓库到工位，不靠叉车", "在不扩建厂房的情况下多放货"),
        "titles": ("自动化立体库建设", "{w}车间AGV物流", "{ind}成品仓智能化改造"),
    },
    "industrial_network": {
        "names": ("工业网络", "5G工业专网", "工业以太网", "TSN时间敏感网络", "工厂内网改造"),
        "features": (
            "5G专网与MEC边缘计算",
            "WiFi6无线覆盖",
            "OT网络分区",
            "环网冗余",
            "网络规划与勘测",
            "工业交换机",
            "IT/OT融合",
            "网络运维监控",
        ),
        "tech": ("PROFINET", "EtherCAT", "Modbus TCP", "UPF下沉", "SD-WAN", "光纤环网"),
        "results": ("网络时延低于{m}毫秒", "设备联网率从{a}%提升到{b}%", "网络故障减少{p}%"),
        "industries": ("3670", "3612", "3841", "3130", "3825", "3982", "3731", "3311"),
        "pains": (
            "车间WiFi信号差，AGV经常掉线",
            "生产网和办公网混在一起，不安全",
            "老设备接口五花八门",
        ),
        "wants": ("建设5G工业专网", "工厂网络改造，生产网分区隔离", "车间无线网络覆盖"),
        "plain": ("让车间里的设备和小车网络稳定不掉线", "工厂内网重新规划"),
        "titles": ("5G全连接工厂网络", "车间工业网络改造", "{ind}工厂内网升级"),
    },
    "iiot_platform": {
        "names": ("工业互联网平台", "工业物联网平台", "IIoT平台", "工业大数据平台", "工业APP"),
        "features": (
            "设备接入与物模型",
            "数据中台",
            "低代码工业APP",
            "可视化大屏",
            "规则引擎告警",
            "设备远程运维",
            "标识解析",
            "SaaS化应用商店",
        ),
        "tech": ("MQTT", "OPC UA", "时序数据库", "Kubernetes", "边缘网关", "国家级双跨平台"),
        "results": ("接入设备{n}台", "数据采集点{n}个", "远程运维减少出差{p}%", "开发效率提升{p}%"),
        "industries": ("3421", "3442", "3523", "4011", "3670", "2929", "3311", "3821"),
        "pains": (
            "卖出去的设备出了故障只能派人去现场",
            "各系统数据孤岛，老板看不到全局",
            "想做数字化但没有IT团队",
        ),
        "wants": (
            "建设工业互联网平台，设备上云",
            "用平台的工业APP快速搭应用",
            "做售后设备远程运维",
        ),
        "plain": ("把分散在各地客户那里的设备数据收回来", "把工厂各系统的数据汇到一个地方看"),
        "titles": ("设备上云与远程运维", "{ind}工业互联网平台应用", "工厂数据中台建设"),
    },
    "digital_twin": {
        "names": ("数字孪生", "虚拟工厂", "三维可视化工厂", "仿真与虚拟调试"),
        "features": (
            "产线三维建模",
            "虚拟调试",
            "物流仿真",
            "产能仿真",
            "实时数据驱动三维看板",
            "工艺仿真",
            "三维激光扫描建模",
            "设备孪生",
        ),
        "tech": ("Unity3D", "Plant Simulation", "点云建模", "WebGL轻量化", "与PLC数据联动"),
        "results": ("调试周期缩短{p}%", "新产线规划返工减少{p}%", "新产线投产提前{d}天"),
        "industries": ("3670", "3612", "3841", "3825", "3311", "3421", "3731", "3974"),
        "pains": ("新产线投产前没法验证节拍", "现场调试时间长，试错成本高"),
        "wants": ("建设产线数字孪生和虚拟调试", "做工厂三维可视化"),
        "plain": ("产线还没建就先在电脑里跑一遍", "在三维模型里看到每台设备的实时状态"),
        "titles": ("新产线数字孪生与虚拟调试", "{ind}工厂三维可视化", "物流与产能仿真"),
    },
    "industrial_robot": {
        "names": ("工业机器人", "自动化产线", "机器人集成", "协作机器人", "非标自动化"),
        "features": (
            "机床上下料",
            "焊接机器人工作站",
            "喷涂机器人",
            "码垛机器人",
            "视觉引导抓取",
            "装配自动化",
            "打磨抛光",
            "桁架机械手",
            "柔性生产线",
            "冲压连线",
        ),
        "tech": ("发那科、ABB、埃斯顿机器人", "离线编程", "快换夹具", "安全光栅", "PLC与HMI"),
        "results": ("单班节省{n}人", "节拍提升{p}%", "投资回收期{n}个月", "产品一致性提升{p}%"),
        "industries": ("3670", "3484", "3482", "3311", "2929", "3421", "3841", "3825", "3581"),
        "pains": (
            "焊接、打磨岗位招人难",
            "人工上下料效率低，一人只能看一台机床",
            "人工成本逐年上涨",
        ),
        "wants": ("机器人上下料改造", "建设焊接机器人工作站", "产线自动化升级"),
        "plain": ("让机械手代替工人搬件和装夹", "减少一线操作工"),
        "titles": ("{w}工序机器人改造", "CNC机床上下料自动化", "{ind}自动化产线升级"),
    },
    "cnc": {
        "names": ("数控机床", "智能装备", "加工中心", "五轴机床", "数控化改造"),
        "features": (
            "五轴联动加工中心",
            "立式加工中心",
            "数控车床",
            "激光切割机",
            "折弯机",
            "机床联网",
            "刀具寿命管理",
            "在机测量",
            "断刀检测",
            "老旧机床数控化改造",
        ),
        "tech": ("国产数控系统", "西门子840D", "发那科系统", "DNC程序管理", "主轴功率监测"),
        "results": (
            "加工效率提升{p}%",
            "刀具成本下降{p}%",
            "精度稳定在{s}毫米以内",
            "设备利用率提升到{b}%",
        ),
        "industries": ("3484", "3670", "3482", "3421", "3442", "3581", "3311", "3731"),
        "pains": ("老旧机床精度下降，废品多", "复杂零件需要多次装夹", "刀具损耗大、断刀发现不及时"),
        "wants": ("更新一批五轴加工中心", "机床联网与刀具管理", "老旧设备数控化改造"),
        "plain": ("换掉精度不行的老设备", "一次装夹把复杂件加工完"),
        "titles": ("{w}设备更新（数控机床）", "机床联网与刀具管理", "五轴加工中心采购"),
    },
    "data_acquisition": {
        "names": ("设备联网", "数据采集", "SCADA", "设备物联", "DNC/MDC"),
        "features": (
            "PLC数据采集",
            "老设备加装传感器",
            "协议转换",
            "设备状态监控",
            "OEE分析",
            "停机原因记录",
            "产量自动计数",
            "边缘计算",
            "组态监控",
        ),
        "tech": ("OPC UA", "Modbus", "西门子S7协议", "三菱MC协议", "MQTT", "边缘网关", "KEPServer"),
        "results": ("设备联网率达到{b}%", "数据采集频率{s}秒", "OEE提升{p}%", "停机时间减少{p}%"),
        "industries": ("3670", "2929", "3484", "3482", "1713", "3982", "3130", "3311"),
        "pains": ("设备品牌多、年代不同，数据拿不出来", "产量靠人报，不准", "不知道设备为什么停机"),
        "wants": ("全厂设备联网和数据采集", "做设备OEE分析", "注塑机和机床联网"),
        "plain": ("让每台机器的开机、停机、产量自动上报", "把老设备的数据也采上来"),
        "titles": ("全厂设备联网", "{w}设备数据采集与OEE", "{ind}设备物联"),
    },
    "industrial_security": {
        "names": ("工业信息安全", "工控安全", "等保测评与整改", "OT网络安全", "数据安全"),
        "features": (
            "工业防火墙",
            "主机加固",
            "安全审计",
            "态势感知",
            "等保2.0测评与整改",
            "网络分区隔离",
            "数据防泄漏",
            "勒索病毒防护",
            "安全运维",
        ),
        "tech": ("白名单防护", "工控协议深度解析", "零信任接入", "堡垒机", "日志审计"),
        "results": (
            "{d}周内通过等保三级测评",
            "高危漏洞从{n}个清零",
            "安全事件响应时间缩短到{m}分钟",
        ),
        "industries": ("2614", "2710", "3130", "3821", "3670", "3612", "4011", "3841"),
        "pains": (
            "去年被勒索病毒攻击，产线停了两天",
            "客户和监管要求通过等保测评",
            "工程师用U盘拷程序，没有管控",
        ),
        "wants": ("工控安全防护和等保整改", "OT网络安全态势感知"),
        "plain": ("防止病毒从办公网传到车间", "通过网络安全的合规检查"),
        "titles": ("工控安全防护建设", "等保三级测评与整改", "{ind}工厂网络安全"),
    },
    "safety_environment": {
        "names": ("安全生产监测", "环保在线监测", "危化品安全管理", "智慧园区安全"),
        "features": (
            "重大危险源监测",
            "可燃有毒气体报警",
            "双重预防机制",
            "VOCs在线监测",
            "视频AI识别违章",
            "人员定位",
            "特殊作业票管理",
            "污水在线监测",
        ),
        "tech": ("防爆巡检机器人", "红外测温", "AI视频分析", "与应急管理平台对接"),
        "results": ("隐患整改率{b}%", "违章行为减少{p}%", "巡检人员减少{p}%"),
        "industries": ("2614", "2641", "2710", "1713", "3130", "3841", "2651"),
        "pains": ("安全检查发现隐患多，整改跟踪难", "环保要求VOCs在线监测", "危险作业靠纸质作业票"),
        "wants": ("建设安全生产信息化平台", "VOCs和废水在线监测", "双重预防机制系统"),
        "plain": ("安全隐患从发现到整改全程留痕", "满足环保和应急管理部门的检查"),
        "titles": ("安全生产信息化", "{ind}企业环保在线监测", "双重预防机制建设"),
    },
    "consulting": {
        "names": ("智能制造诊断", "数字化转型咨询", "精益生产咨询", "智能制造规划", "成熟度评估"),
        "features": (
            "智能制造能力成熟度评估",
            "数字化转型规划",
            "精益生产与价值流分析",
            "智能工厂顶层设计",
            "项目申报辅导",
            "两化融合贯标",
            "信息化选型",
            "5S与TPM导入",
        ),
        "tech": ("GB/T 39116评估", "CMMM成熟度模型", "DCMM数据管理能力评估", "专家团队驻场"),
        "results": (
            "帮助企业通过成熟度{y}级评估",
            "{y}年内获评省级智能制造示范车间",
            "生产周期缩短{p}%",
        ),
        "industries": ("3670", "2929", "3484", "1713", "2110", "3821", "3982", "2720"),
        "pains": ("想做数字化但不知道从哪开始", "上了几个系统但效果不好", "想申报智能制造示范车间"),
        "wants": ("请专业机构做智能制造诊断和规划", "做成熟度评估和项目申报辅导"),
        "plain": ("有人帮我们把数字化的路线图理清楚", "先诊断再决定投什么"),
        "titles": ("智能制造诊断与规划", "数字化转型咨询", "{ind}企业智能工厂规划"),
    },
    "financing": {
        "names": ("设备更新贷款", "技改贷款", "智改数转贷", "融资租赁", "科创贷", "供应链金融"),
        "features": (
            "额度最高{w}万元",
            "年化利率低至{r}%",
            "期限最长{y}年",
            "可享财政贴息",
            "无需抵押",
            "政府风险补偿资金池增信",
            "随借随还",
            "设备直租与售后回租",
            "线上申请、最快3天放款",
        ),
        "tech": (
            "纳入设备更新再贷款支持范围",
            "对接工信部门项目清单",
            "知识产权质押",
            "应收账款融资",
        ),
        "results": ("获得贷款{w}万元", "综合融资成本降到{r}%", "放款用时{k}天"),
        "industries": ("C", "36", "38", "39", "34", "29", "33", "26", "17"),
        "pains": (
            "设备更新项目资金缺口大",
            "自有资金不足，技改项目迟迟不能启动",
            "银行贷款需要抵押，厂房是租的",
        ),
        "wants": ("申请设备更新贷款", "融资租赁购置设备", "技改项目贷款，希望能享受贴息"),
        "plain": ("买新设备的钱分几年付", "给技改项目找一笔利率低的资金"),
        "titles": ("{w}设备更新融资", "技改项目贷款", "设备融资租赁"),
    },
}

SHARED_TECH = (
    "OPC UA", "Modbus TCP", "MQTT", "私有化部署", "信创适配", "移动端", "开放API", "国产数据库",
)  # fmt: skip
SERVICE_PHRASES = (
    "驻场实施", "7×24小时响应", "本地服务团队2小时到场", "免费试用30天", "按年订阅",
    "交钥匙工程", "原厂质保{y}年", "定期回访与培训",
)  # fmt: skip
WORKSHOPS = (
    "冲压",
    "焊装",
    "涂装",
    "总装",
    "机加工",
    "注塑",
    "装配",
    "包装",
    "仓储",
    "检测",
    "热处理",
    "压铸",
)
BRAND_WORDS = ("智造", "云", "慧", "工", "数", "视", "联", "芯", "科")
SIZES = (
    "一家两百人规模的",
    "一家年产值三亿元的",
    "一家规上",
    "一家专精特新",
    "一家中型",
    "一家上市公司旗下的",
)
KIND_OF_CATEGORY = {
    "consulting": (("service", 1),),
    "financing": (("financial", 1),),
    "cnc": (("product", 3), ("solution", 1), ("service", 1)),
    "machine_vision": (("product", 2), ("solution", 2), ("service", 1)),
    "industrial_robot": (("solution", 3), ("product", 1)),
    "warehouse_automation": (("solution", 3), ("product", 1)),
    "industrial_security": (("service", 2), ("product", 1), ("solution", 1)),
}
DEFAULT_KINDS = (("solution", 3), ("product", 2), ("service", 1))
# second categories that go together
PAIRS = {
    "mes": ("aps", "qms", "data_acquisition", "wms"),
    "aps": ("mes",),
    "wms": ("warehouse_automation", "mes"),
    "warehouse_automation": ("wms",),
    "data_acquisition": ("iiot_platform", "mes", "predictive_maintenance"),
    "iiot_platform": ("data_acquisition", "digital_twin"),
    "predictive_maintenance": ("data_acquisition", "iiot_platform"),
    "industrial_network": ("industrial_security",),
    "industrial_security": ("industrial_network",),
    "digital_twin": ("iiot_platform",),
    "erp": ("mes",),
    "qms": ("mes",),
    "energy_management": ("iiot_platform",),
    "industrial_robot": ("machine_vision",),
    "machine_vision": ("industrial_robot",),
    "cnc": ("data_acquisition",),
}
# Demand shares by category (what factories ask for most).
DEMAND_WEIGHTS = {
    "mes": 12, "erp": 5, "plm": 3, "aps": 4, "wms": 6, "qms": 4, "machine_vision": 10,
    "predictive_maintenance": 6, "energy_management": 7, "warehouse_automation": 6,
    "industrial_network": 3, "iiot_platform": 3, "digital_twin": 2, "industrial_robot": 8,
    "cnc": 5, "data_acquisition": 6, "industrial_security": 3, "safety_environment": 3,
    "consulting": 4, "financing": 8,
}  # fmt: skip
# Offerings of providers by category (banks make the financing ones).
OFFER_WEIGHTS = {
    "mes": 12, "erp": 6, "plm": 4, "aps": 4, "wms": 6, "qms": 4, "machine_vision": 10,
    "predictive_maintenance": 6, "energy_management": 6, "warehouse_automation": 6,
    "industrial_network": 4, "iiot_platform": 6, "digital_twin": 3, "industrial_robot": 8,
    "cnc": 5, "data_acquisition": 6, "industrial_security": 4, "safety_environment": 3,
    "consulting": 5,
}  # fmt: skip
assert set(PHRASES) == set(CATEGORIES), "a phrase bank for every category"

STRING_MUSTS = ("CMMI3及以上", "本地服务团队", "同行业案例", "等保三级", "ISO9001")
TEXT_MUSTS = (
    "支持私有化部署",
    "与用友U8对接",
    "与金蝶云星空对接",
    "与SAP对接",
    "信创适配",
    "7×24小时响应",
)
BUDGETS = (  # (low, high) in 万元 by category family
    (5, 40),
    (20, 120),
    (50, 300),
    (100, 800),
)


# ---------------------------------------------------------------------------------------------


def _cumulative(weights: Sequence[int]) -> tuple[list[int], int]:
    out, total = [], 0
    for w in weights:
        total += w
        out.append(total)
    return out, total


def _pick(rng: random.Random, items: Sequence, cumulative: list[int], total: int):
    value = rng.random() * total
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] > value:
            high = middle
        else:
            low = middle + 1
    return items[low]


_CITY_CODES = list(CITIES)
_CITY_CUM = _cumulative([CITIES[c][1] for c in _CITY_CODES])
_IND_CODES = list(INDUSTRIES)
_IND_CUM = _cumulative([INDUSTRIES[c][1] for c in _IND_CODES])
_OFFER_CATS = list(OFFER_WEIGHTS)
_OFFER_CUM = _cumulative([OFFER_WEIGHTS[c] for c in _OFFER_CATS])
_DEMAND_CATS = list(DEMAND_WEIGHTS)
_DEMAND_CUM = _cumulative([DEMAND_WEIGHTS[c] for c in _DEMAND_CATS])
_DIVISION_NAMES = {
    "C": "制造业", "13": "农副食品加工", "17": "纺织", "26": "化工", "27": "医药", "29": "橡胶和塑料制品",
    "33": "金属制品", "34": "通用设备", "35": "专用设备", "36": "汽车", "38": "电气机械",
    "39": "电子信息",
}  # fmt: skip


def _city_of(region: str) -> str:
    """The city code of a district (or the region itself for a province/city code)."""
    if region.endswith("0000"):
        return region
    return region[:4] + "00"


def _city_name(region: str) -> str:
    city = CITIES.get(_city_of(region))
    if city:
        return city[0]
    return PROVINCE_NAMES.get(region[:2] + "0000", "长三角")


def _industry_name(code: str) -> str:
    entry = INDUSTRIES.get(code)
    if entry:
        return entry[0]
    return _DIVISION_NAMES.get(code, _DIVISION_NAMES.get(code[:2], "制造"))


_FILLERS = {
    "p": lambda rng: rng.randint(8, 45),
    "d": lambda rng: rng.randint(2, 20),
    "h": lambda rng: rng.randint(4, 72),
    "m": lambda rng: rng.randint(5, 50),
    "w": lambda rng: rng.choice((50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000)),
    "n": lambda rng: rng.randint(3, 40),
    "y": lambda rng: rng.randint(1, 5),
    "k": lambda rng: rng.randint(3, 15),
    "r": lambda rng: f"{rng.randint(26, 42) / 10:.1f}",
    "s": lambda rng: rng.choice(("0.01", "0.02", "0.05", "0.1", "0.5", "1")),
}
_FIELDS: dict[str, tuple[str, ...]] = {}


def _fill(rng: random.Random, template: str) -> str:
    """The template with its placeholders drawn (only those it has, for speed)."""
    fields = _FIELDS.get(template)
    if fields is None:
        fields = tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)
        _FIELDS[template] = fields
    if not fields:
        return template
    values = {}
    for f in fields:
        if f == "a" or f == "b":
            if "a" not in values:
                a = rng.randint(55, 85)
                values["a"] = a
                values["b"] = min(99, a + rng.randint(8, 30))
        else:
            values[f] = _FILLERS[f](rng)
    return template.format_map(values)


@dataclass
class _Profile:
    uscc: str
    kind: str
    region: str
    brand: str
    specialities: tuple[str, ...]
    certifications: tuple[str, ...]
    regions: tuple[str, ...]
    bank: str = ""


def _provider_profile(rng: random.Random, org: OrgRef) -> _Profile:
    city = _city_of(org.region)
    province = org.region[:2] + "0000"
    if org.kind == "bank":
        bank = org.name or rng.choice(BANKS)
        for full in BANKS:
            if org.name.startswith(full):
                bank = full
        regions = (city,) if rng.random() < 0.7 else (province,)
        return _Profile(org.uscc, "bank", org.region, bank, ("financing",), (), regions, bank)
    brand = rng.choice(ZIHAO_A) + rng.choice(ZIHAO_B)
    if org.name:
        # the two characters after the city in 「苏州恒达智能科技有限公司」
        short = org.name
        for name, _w, _d in CITIES.values():
            short = short.removeprefix(name)
        if len(short) >= 2 and short[:2] not in {"有限", "股份"}:
            brand = short[:2]
    n_spec = rng.choice((1, 2, 2, 3, 3, 4))
    specs: list[str] = []
    while len(specs) < n_spec:
        c = _pick(rng, _OFFER_CATS, *_OFFER_CUM)
        if c not in specs:
            specs.append(c)
        pair = PAIRS.get(c)
        if pair and len(specs) < n_spec and rng.random() < 0.5:
            p = rng.choice(pair)
            if p not in specs:
                specs.append(p)
    certs: list[str] = []
    roll = rng.random()
    if roll < 0.15:
        certs.append("CMMI5")
    elif roll < 0.45:
        certs.append("CMMI3")
    elif roll < 0.55:
        certs.append("CMMI2")
    roll = rng.random()
    if roll < 0.12:
        certs.append("ITSS2")
    elif roll < 0.3:
        certs.append("ITSS3")
    if rng.random() < 0.75:
        certs.append("ISO9001")
    if rng.random() < 0.3:
        certs.append("ISO27001")
    if rng.random() < 0.55:
        certs.append("高新技术企业")
    if rng.random() < 0.15:
        certs.append("专精特新")
    if rng.random() < 0.12:
        certs.append("智能制造系统解决方案供应商")
    if "industrial_security" in specs and rng.random() < 0.6:
        certs.append("等保三级")
    if rng.random() < 0.1:
        certs.append("系统集成资质")
    roll = rng.random()
    if roll < 0.55:
        regions: tuple[str, ...] = (province,)
    elif roll < 0.8:
        regions = (city,)
    else:
        others = [p for p in PROVINCE_NAMES if p != province]
        regions = (province, *rng.sample(others, rng.randint(1, 2)))
    return _Profile(org.uscc, org.kind, org.region, brand, tuple(specs), tuple(certs), regions)


def synthetic_organizations(*, seed: int, count: int, kind: str) -> list[OrgRef]:
    """Owners for the benchmark (no registry behind them; ``uscc`` is a serial)."""
    rng = random.Random(seed * 31 + len(kind))
    out = []
    for i in range(count):
        city = _pick(rng, _CITY_CODES, *_CITY_CUM)
        district = rng.choice(CITIES[city][2])
        industry = _pick(rng, _IND_CODES, *_IND_CUM) if kind == "manufacturer" else ""
        out.append(
            OrgRef(uscc=f"{kind[:1].upper()}{i:08d}", kind=kind, region=district, industry=industry)
        )
    return out


def _case(rng: random.Random, cat: str, bank: str, profile: _Profile) -> dict:
    bank_data = PHRASES[cat]
    industry = rng.choice(bank_data["industries"])
    if len(industry) < 4:  # financing lists divisions: pick a class of the division
        matching = [c for c in _IND_CODES if c.startswith(industry)] or _IND_CODES
        industry = rng.choice(matching)
    if rng.random() < 0.6:
        region_city = (
            profile.regions[0] if profile.regions[0] in CITIES else _city_of(profile.region)
        )
    else:
        region_city = _pick(rng, _CITY_CODES, *_CITY_CUM)
    city = CITIES.get(region_city) or CITIES[_pick(rng, _CITY_CODES, *_CITY_CUM)]
    region = rng.choice(city[2])
    iname = INDUSTRIES[industry][0]
    what = rng.choice(bank_data["names"])
    results = rng.sample(bank_data["results"], k=min(2, len(bank_data["results"])))
    result = "，".join(_fill(rng, r) for r in results[: rng.choice((1, 2))])
    if cat == "financing":
        title = f"{city[0]}某{iname}企业{rng.choice(WORKSHOPS)}{rng.choice(('设备更新', '技改', '产线扩建'))}项目{what}"
    else:
        title = f"{city[0]}某{iname}企业{rng.choice(WORKSHOPS)}{what}项目"
    return {"title": title, "industry": industry, "region": region, "result": result}


def _offering(rng: random.Random, serial: int, profile: _Profile) -> dict:
    cat = rng.choice(profile.specialities)
    bank_data = PHRASES[cat]
    categories = [cat]
    pair = PAIRS.get(cat)
    if pair and rng.random() < 0.25:
        second = rng.choice(pair)
        if second != cat:
            categories.append(second)
    kinds = KIND_OF_CATEGORY.get(cat, DEFAULT_KINDS)
    kind = (
        kinds[0][0]
        if len(kinds) == 1
        else rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    )
    name = rng.choice(bank_data["names"])
    inds = bank_data["industries"]
    served = rng.sample(inds, k=min(len(inds), rng.randint(1, 4)))
    iname = _industry_name(served[0])
    features = rng.sample(bank_data["features"], k=rng.randint(3, 6))
    techs = rng.sample(bank_data["tech"], k=rng.randint(1, 3))
    if cat != "financing" and rng.random() < 0.4:
        techs.append(rng.choice(SHARED_TECH))
    if cat == "financing":
        title = f"{profile.bank}{rng.choice(('', '“智改数转”', '制造业', '科技型企业'))}{name}"
        feats = "，".join(_fill(rng, f) for f in features)
        description = (
            f"{profile.bank}面向{'、'.join(_industry_name(s) for s in served)}企业推出{name}，"
            f"用于{rng.choice(('设备购置与更新', '技术改造', '智能化改造和数字化转型', '厂房与产线建设'))}。"
            f"{feats}。{'；'.join(techs)}。"
        )
    else:
        version = f"V{rng.randint(2, 9)}.{rng.randint(0, 9)}"
        form = rng.random()
        if form < 0.3:
            title = f"{profile.brand}{name}{version}"
        elif form < 0.6:
            title = f"{profile.brand}{iname}行业{name}{('解决方案', '', '平台')[serial % 3]}"
        elif form < 0.8:
            title = f"{name}（{iname}版）"
        else:
            title = f"{profile.brand}{rng.choice(BRAND_WORDS)}{name}{KIND_SUFFIX[kind]}"
        intro = rng.choice(INTROS).format(
            name=name, ind="、".join(_industry_name(s) for s in served)
        )
        results = [
            _fill(rng, r)
            for r in rng.sample(bank_data["results"], k=min(2, len(bank_data["results"])))
        ]
        service = _fill(rng, rng.choice(SERVICE_PHRASES))
        places = "、".join(_region_name(r) for r in profile.regions)
        description = (
            f"{intro}主要功能：{'、'.join(features)}。技术特点：{'、'.join(techs)}。"
            f"典型效果：{'，'.join(results)}。在{places}提供{service}。"
        )
        if len(categories) > 1:
            description += f"可与{rng.choice(PHRASES[categories[1]]['names'])}一体化交付。"
    price_min = price_max = None
    band = PRICES.get(kind)
    if band and rng.random() < 0.7:
        low = rng.choice(band)
        price_min = str(low * 10000)
        price_max = str(low * rng.choice((2, 3, 5)) * 10000)
    n_cases = rng.choice((0, 1, 1, 2, 2, 3, 4))
    cases = [_case(rng, cat, "", profile) for _ in range(n_cases)]
    industries = list(served)
    if cat != "financing" and rng.random() < 0.3:
        industries.append(served[0][:2])  # the division as well
    return {
        "id": f"O{serial + 1:07d}",
        "kind": kind,
        "title": title,
        "description": description,
        "categories": categories,
        "industries": industries,
        "regions": list(profile.regions),
        "certifications": list(profile.certifications),
        "cases": cases,
        "provider": profile.uscc,
        "price_min_yuan": price_min,
        "price_max_yuan": price_max,
    }


#: lower ends of price ranges by kind, in 万元
PRICES = {
    "product": (2, 5, 8, 15, 30, 60),
    "solution": (20, 50, 80, 150, 300),
    "service": (1, 3, 5, 10, 20),
}
KIND_SUFFIX = {"solution": "解决方案", "product": "", "service": "服务", "financial": ""}
INTROS = (
    "面向{ind}等制造企业的{name}。",
    "专为{ind}行业打造的{name}，开箱即用。",
    "{name}，已在{ind}等行业落地。",
    "一站式{name}，覆盖{ind}企业从规划到运维。",
    "轻量化{name}，适合{ind}中小企业快速上线。",
)


def _region_name(code: str) -> str:
    if code in PROVINCE_NAMES:
        return PROVINCE_NAMES[code]
    return _city_name(code)


def generate_offerings(
    *,
    seed: int = DEMO_SEED,
    size: int,
    providers: Sequence[OrgRef] = (),
    banks: Sequence[OrgRef] = (),
    financial_share: float = 0.06,
) -> Iterator[dict]:
    """``size`` offerings, owned round-robin-ish by ``providers`` (and ``banks`` for the
    financial share). Without owners, synthetic ones are made (one per ~25 offerings)."""
    rng = random.Random(seed)
    if not providers:
        providers = synthetic_organizations(seed=seed, count=max(20, size // 25), kind="provider")
    if not banks:
        banks = synthetic_organizations(seed=seed, count=max(5, size // 400), kind="bank")
    profile_rng = random.Random(seed + 1)
    p_profiles = [_provider_profile(profile_rng, o) for o in providers]
    b_profiles = [_provider_profile(profile_rng, o) for o in banks]
    for serial in range(size):
        if rng.random() < financial_share:
            profile = b_profiles[rng.randrange(len(b_profiles))]
        else:
            profile = p_profiles[rng.randrange(len(p_profiles))]
        yield _offering(rng, serial, profile)


def _must(rng: random.Random, cat: str, industry: str, region: str) -> list:
    out: list = []
    n = rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
    if cat == "financing":
        if n and rng.random() < 0.5:
            out.append({"kind": "region", "value": _city_of(region)})
        if n > 1:
            out.append(
                {"kind": "text", "value": rng.choice(("无需抵押", "可享财政贴息", "期限3年以上"))}
            )
        return out
    pool = ["string", "string", "cert", "region", "case", "text"]
    chosen: set[str] = set()
    while len(out) < n:
        what = rng.choice(pool)
        if what == "string":
            value = rng.choice(STRING_MUSTS)
            if value in chosen:
                continue
            chosen.add(value)
            out.append(value)
        elif what == "cert" and "cert" not in chosen:
            chosen.add("cert")
            name, level = rng.choice((("CMMI", 3), ("CMMI", 5), ("ITSS", 3), ("ITSS", 2)))
            out.append({"kind": "certification", "value": name, "min_level": level})
        elif what == "region" and "region" not in chosen:
            chosen.add("region")
            value = _city_of(region) if rng.random() < 0.6 else region[:2] + "0000"
            out.append({"kind": "region", "value": value})
        elif what == "case" and "case" not in chosen:
            chosen.add("case")
            out.append(
                {"kind": "industry_case", "value": industry if rng.random() < 0.6 else industry[:2]}
            )
        elif what == "text" and "text" not in chosen:
            chosen.add("text")
            out.append({"kind": "text", "value": rng.choice(TEXT_MUSTS)})
        else:
            n -= 1  # a duplicate kind: one must fewer
    return out


def _demand(rng: random.Random, serial: int, org: OrgRef) -> dict:
    cat = _pick(rng, _DEMAND_CATS, *_DEMAND_CUM)
    bank_data = PHRASES[cat]
    industry = org.industry or _pick(rng, _IND_CODES, *_IND_CUM)
    region = org.region
    city = _city_name(region)
    iname = _industry_name(industry)
    workshop = rng.choice(WORKSHOPS)
    title = rng.choice(bank_data["titles"]).format(w=workshop, ind=iname)
    pain = rng.choice(bank_data["pains"])
    plain = rng.random() < 0.2
    if plain:  # said without the category's usual name
        want = rng.choice(bank_data["plain"])
        title = f"{iname}企业：{want}"
    else:
        want = rng.choice(bank_data["wants"])
    features = rng.sample(bank_data["features"], k=rng.randint(1, 3))
    budget = None
    if rng.random() < 0.8:
        low, high = BUDGETS[min(3, rng.randint(0, 3) if cat != "consulting" else 0)]
        budget = str(rng.randint(low, high) * 10000)
    if cat == "financing":
        amount = rng.choice((300, 500, 800, 1000, 1500, 2000, 3000, 5000))
        features_text = (
            f"项目总投资约{amount}万元，其中设备{int(amount * rng.uniform(0.4, 0.7))}万元"
        )
        budget = None
    else:
        features_text = f"重点关注{'、'.join(_fill(rng, f) for f in features)}"
    timeline = rng.choice(("三个月内", "年内", "明年一季度", "半年内", "尽快"))
    extra = rng.choice(
        (
            f"希望{timeline}上线。",
            f"计划{timeline}启动，欢迎有{iname}案例的服务商联系。",
            "请提供同类项目案例和报价。",
            f"优先考虑{city}周边有服务团队的供应商。",
            "可接受分期实施。",
        )
    )
    description = (
        f"我们是{city}{rng.choice(SIZES)}{iname}企业，{pain}。希望{want}，{features_text}。{extra}"
    )
    must = _must(rng, cat, industry, region)
    nice: list = []
    if rng.random() < 0.3:
        nice.append(
            rng.choice(
                ("同行业案例", "本地服务团队", "ISO9001", {"kind": "text", "value": "支持SaaS订阅"})
            )
        )
    return {
        "id": f"D{serial + 1:06d}",
        "title": title,
        "description": description,
        "category": cat,
        "industry": industry,
        "region": region,
        "budget_yuan": budget,
        "must": must,
        "nice": nice,
        "enterprise": org.uscc,
    }


def generate_demands(
    *, seed: int = DEMO_SEED, size: int, manufacturers: Sequence[OrgRef] = ()
) -> Iterator[dict]:
    """``size`` demands from ``manufacturers`` (synthetic ones when none are given)."""
    rng = random.Random(seed + 7)
    if not manufacturers:
        manufacturers = synthetic_organizations(
            seed=seed, count=max(20, size // 2), kind="manufacturer"
        )
    for serial in range(size):
        yield _demand(rng, serial, manufacturers[rng.randrange(len(manufacturers))])
