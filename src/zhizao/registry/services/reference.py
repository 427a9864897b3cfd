"""Load the reference data that ships with the platform (regions, industries, clusters, chains).

Regions and industries follow the shipped files exactly (they are national standards). Clusters
and chains are examples an operator edits, so existing ones are left alone unless ``update``.

The data migration ``registry/0004_load_reference_data`` calls the same loader with the
migration's historical models, so every migrated database has the reference data (an import
into a database without it would find every region and industry code unknown).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ..models import ChainNode, Cluster, IndustrialChain, Industry, Region
from ..selectors import forget_filter_choices

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEVEL_ORDER = {
    "section": 0,
    "division": 1,
    "group": 2,
    "class": 3,
    "province": 0,
    "city": 1,
    "district": 2,
}


@dataclass(frozen=True)
class ReferenceModels:
    """The model classes the loader writes: the live ones, or a migration's historical ones."""

    region: Any = Region
    industry: Any = Industry
    cluster: Any = Cluster
    chain: Any = IndustrialChain
    node: Any = ChainNode


@dataclass(frozen=True)
class ReferenceLoadResult:
    regions: int
    industries: int
    clusters: int
    chains: int
    nodes: int


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda row: (LEVEL_ORDER[row["level"]], row["code"]))
    return rows


def _upsert_tree(model, rows: list[dict[str, str]], extra) -> int:
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        values = {
            "level": row["level"],
            "parent_id": row["parent"] or None,
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            **extra(row),
        }
        obj = existing.get(row["code"])
        if obj is None:
            to_create.append(model(code=row["code"], **values))
        elif any(getattr(obj, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(obj, key, value)
            to_update.append(obj)
    # Parents come first in ``rows``; creating level by level keeps foreign keys valid.
    for level in sorted({LEVEL_ORDER[o.level] for o in to_create}):
        model.objects.bulk_create(
            [o for o in to_create if LEVEL_ORDER[o.level] == level], batch_size=500
        )
    if to_update:
        fields = ["level", "parent_id", "name_zh", "name_en", *extra(rows[0]).keys()]
        model.objects.bulk_update(
            to_update,
            [f.replace("_id", "") if f == "parent_id" else f for f in fields],
            batch_size=500,
        )
    return len(rows)


@transaction.atomic
def load_reference_data(
    *, update_examples: bool = False, models: ReferenceModels | None = None
) -> ReferenceLoadResult:
    m = models or ReferenceModels()
    regions = _upsert_tree(
        m.region,
        _read_csv("regions.csv"),
        lambda row: {
            "valid_from": _date(row.get("valid_from", "")),
            "valid_to": _date(row.get("valid_to", "")),
        },
    )
    industries = _upsert_tree(m.industry, _read_csv("industries.csv"), lambda row: {})
    with open(DATA_DIR / "clusters.yaml", encoding="utf-8") as handle:
        examples = yaml.safe_load(handle)
    clusters = chains = nodes = 0
    for item in examples.get("clusters", []):
        values = {
            "name_zh": item["name_zh"],
            "name_en": item.get("name_en", ""),
            "region_id": str(item["region"]),
            "description_zh": item.get("description_zh", ""),
            "description_en": item.get("description_en", ""),
        }
        obj, created = m.cluster.objects.get_or_create(code=item["code"], defaults=values)
        if not created and update_examples:
            m.cluster.objects.filter(pk=obj.pk).update(**values)
        clusters += 1
    cluster_ids = dict(m.cluster.objects.values_list("code", "id"))
    for item in examples.get("chains", []):
        values = {
            "name_zh": item["name_zh"],
            "name_en": item.get("name_en", ""),
            "region_id": str(item["region"]),
            "cluster_id": cluster_ids.get(item.get("cluster")),
            "description_zh": item.get("description_zh", ""),
            "description_en": item.get("description_en", ""),
        }
        chain, created = m.chain.objects.get_or_create(code=item["code"], defaults=values)
        if not created and update_examples:
            m.chain.objects.filter(pk=chain.pk).update(**values)
        chains += 1
        for order, node in enumerate(item.get("nodes", [])):
            node_values = {
                "chain": chain,
                "name_zh": node["name_zh"],
                "name_en": node.get("name_en", ""),
                "position": node["position"],
                "sort_order": order,
                "industries": [str(code) for code in node.get("industries", [])],
                "keywords": list(node.get("keywords", [])),
            }
            obj, created = m.node.objects.get_or_create(code=node["code"], defaults=node_values)
            if not created and update_examples:
                for key, value in node_values.items():
                    setattr(obj, key, value)
                obj.save()
            nodes += 1
    transaction.on_commit(forget_filter_choices)
    return ReferenceLoadResult(regions, industries, clusters, chains, nodes)
