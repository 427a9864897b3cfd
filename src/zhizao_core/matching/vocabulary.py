"""The vocabulary of supply–demand matching: the categories a demand names and an offering
serves (stable codes, Chinese and English names), offering kinds, and certifications with
levels. Shared by the ranking, the gold set, the pages and the command line."""

from __future__ import annotations

#: category code → (Chinese, English)
CATEGORIES: dict[str, tuple[str, str]] = {
    "mes": ("制造执行系统（MES）", "manufacturing execution system (MES)"),
    "erp": ("企业资源计划（ERP）", "enterprise resource planning (ERP)"),
    "plm": ("产品生命周期管理（PLM）", "product lifecycle management (PLM)"),
    "aps": ("高级计划排程（APS）", "advanced planning and scheduling (APS)"),
    "wms": ("仓储管理系统（WMS）", "warehouse management system (WMS)"),
    "qms": ("质量管理系统", "quality management system"),
    "machine_vision": ("机器视觉检测", "machine-vision inspection"),
    "predictive_maintenance": ("预测性维护", "predictive maintenance"),
    "energy_management": ("能源管理", "energy management"),
    "warehouse_automation": ("仓储物流自动化", "warehouse automation"),
    "industrial_network": ("工业网络（5G/TSN/工业以太网）", "industrial network (5G/TSN/Ethernet)"),
    "iiot_platform": ("工业互联网平台", "industrial internet platform"),
    "digital_twin": ("数字孪生", "digital twin"),
    "industrial_robot": ("工业机器人与自动化产线", "industrial robots and automated lines"),
    "cnc": ("数控机床与智能装备", "CNC machine tools and intelligent equipment"),
    "data_acquisition": ("设备联网与数据采集", "machine connectivity and data acquisition"),
    "industrial_security": ("工业信息安全", "industrial cybersecurity"),
    "safety_environment": ("安全生产与环保监测", "safety and environmental monitoring"),
    "consulting": ("智能制造诊断咨询", "smart-manufacturing diagnosis and consulting"),
    "financing": ("融资（贷款、融资租赁）", "financing (loans, leasing)"),
}

#: offering kinds
KINDS: dict[str, tuple[str, str]] = {
    "solution": ("解决方案", "solution"),
    "product": ("产品", "product"),
    "service": ("服务", "service"),
    "financial": ("金融产品", "financial product"),
}

#: certifications that have levels (higher meets lower: "CMMI3及以上" is met by CMMI5)
LEVELLED_CERTIFICATIONS = {"CMMI", "ITSS", "等保", "DCMM", "CMMM"}
#: levelled certifications whose best level is 1 (ITSS 一级 is above 二级): "ITSS二级及以上" is
#: met by ITSS1 and ITSS2
LEVEL_ONE_IS_BEST = {"ITSS"}
#: plain certifications (held or not)
CERTIFICATIONS = {
    "ISO9001",
    "ISO14001",
    "ISO27001",
    "ISO45001",
    "IATF16949",
    "高新技术企业",
    "专精特新",
    "系统集成资质",
    "智能制造系统解决方案供应商",
}
