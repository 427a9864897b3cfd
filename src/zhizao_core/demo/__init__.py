"""Deterministic demo data on plain dicts (the import layout's keys plus ``contacts``)."""

from .generator import (
    DEMO_SEED,
    ChainNodeRef,
    ClusterRef,
    IndustryRef,
    RegionRef,
    generate_organizations,
)

__all__ = [
    "DEMO_SEED",
    "ChainNodeRef",
    "ClusterRef",
    "IndustryRef",
    "RegionRef",
    "generate_organizations",
]
