"""Issue 16: a provider pool / product catalogue imported from csv or xlsx — preview with every
problem named by row and column in Chinese, categories in any accepted form (unknown ones kept
as tags with one warning), one transaction, and a re-import changes nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import actor_for
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import Offering
from zhizao.matchmaking.services.imports import import_offerings

HEADER = ["服务商", "名称", "类型", "简介", "类别", "服务地区", "资质", "起价（元）"]


def table(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def pool(provider_org):
    name = provider_org.name
    return [
        [name, "钣金件外观检测工作站", "解决方案", "面阵相机检测划伤、磕碰", "机器视觉检测、AOI", "320400", "CMMI3", "150000"],
        [name, "车间扫码报工", "产品", "工单报工与看板", "MES；焊接工作站", "320000", "", ""],
        [name, "弧焊机器人工作站", "", "六轴弧焊机器人", "焊接工作站", "320400", "", "400,000"],
    ]  # fmt: skip


def test_preview_names_nothing_wrong_and_writes_nothing(operator, provider_org):
    result = import_offerings(actor_for(operator), data=table(pool(provider_org)), name="p.csv")
    assert result.counts() == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert result.warnings == ["第 3 行：未知的类别“焊接工作站”，已作为标签保留（按文本匹配）"]
    assert Offering.objects.count() == 0


def test_import_in_one_transaction_and_a_reimport_changes_nothing(operator, provider_org):
    actor = actor_for(operator)
    data = table(pool(provider_org))
    result = import_offerings(actor, data=data, name="p.csv", apply=True, publish=True)
    assert result.applied and result.counts()["create"] == 3
    got = {
        o.title: (o.kind, o.categories, o.tags, o.state, o.price_min_yuan)
        for o in Offering.objects.order_by("id")
    }
    assert got == {
        "钣金件外观检测工作站": ("solution", ["machine_vision"], [], "published", 150000),
        "车间扫码报工": ("product", ["mes"], ["焊接工作站"], "published", None),
        "弧焊机器人工作站": ("solution", [], ["焊接工作站"], "draft", 400000),
    }
    again = import_offerings(actor, data=data, name="p.csv", apply=True)
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert Offering.objects.count() == 3
    rows = pool(provider_org)
    rows[1][3] = "工单报工、看板与计件工资"
    changed = import_offerings(actor, data=table(rows), name="p.csv", apply=True)
    assert changed.counts() == {"create": 0, "update": 1, "unchanged": 2, "error": 0}
    assert Offering.objects.get(title="车间扫码报工").description == "工单报工、看板与计件工资"


def test_a_row_with_a_problem_stops_the_whole_import(operator, provider_org):
    rows = [
        *pool(provider_org),
        ["不存在的公司", "某方案", "方案", "x", "MES", "999999", "", "很多"],
    ]
    result = import_offerings(actor_for(operator), data=table(rows), name="p.csv", apply=True)
    assert not result.applied
    assert result.errors == [
        "第 5 行 · 服务商：登记册中没有名为“不存在的公司”的服务商或银行",
        "第 5 行 · 服务地区：未知的地区代码 999999",
        "第 5 行 · 起价（元）：不是以元计的金额：很多",
    ]
    assert Offering.objects.count() == 0


def test_only_operators_import(provider_user, provider_org):
    with pytest.raises(MatchError):
        import_offerings(actor_for(provider_user), data=table(pool(provider_org)), name="p.csv")


def test_the_command_previews_and_applies(operator, provider_org, tmp_path, capsys):
    path = tmp_path / "pool.csv"
    path.write_bytes(table(pool(provider_org)))
    call_command("match_import", str(path))
    out, err = capsys.readouterr()
    assert json.loads(out)["counts"]["create"] == 3
    assert err == "第 3 行：未知的类别“焊接工作站”，已作为标签保留（按文本匹配）\n"
    call_command("match_import", str(path), "--apply")
    assert Offering.objects.count() == 3
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_bytes("名称\n某方案\n".encode())
    with pytest.raises(SystemExit) as exit_info:
        call_command("match_import", str(bad))
    assert exit_info.value.code == 1
    assert capsys.readouterr().err == "缺少列：服务商（第一行应写明各列名称）。\n"
