"""``zhizao match rank``: the ranking of a catalogue for a file of demands (the contract is in
docs/matching.md and the management command ``match_rank``). The console script runs it before
Django starts (``zhizao.cli.PURE``): a ranking run reads two files and the reference names, and
setting up every app cost about a second of its CPU time."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from zhizao_core.matching import (
    VARIANTS,
    InputError,
    MatchIndex,
    demand_text,
    parse_catalogue,
    parse_demands,
)

from .management.commands._matching import embedder, fail, read_json, reference_names

HELP = "Rank a catalogue of offerings for a file of demands and print JSON lines."


def add_arguments(parser) -> None:
    parser.add_argument("--catalogue", required=True, help="Offerings (.json list).")
    parser.add_argument("--demands", required=True, help="Demands (.json list).")
    parser.add_argument("--top", type=int, default=10, help="Results per demand (default 10).")
    parser.add_argument("--variant", default="fused", choices=VARIANTS)
    parser.add_argument("--language", default="zh-hans", help="zh-hans (default) or en.")
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="Leave out the semantic signal (fused falls back to fused_lexical).",
    )


def rank(*, catalogue, demands, top, variant, language, no_embeddings) -> None:
    lang = "en" if language.startswith("en") else "zh"
    if top < 1:
        fail(["--top: " + ("应为正整数" if lang == "zh" else "must be a positive integer")], 1)
    raw_catalogue = read_json(Path(catalogue), lang)
    raw_demands = read_json(Path(demands), lang)
    problems: list[str] = []
    warned: dict[str, list] = {"catalogue": [], "demands": []}
    offerings, wanted = [], []
    try:
        offerings = parse_catalogue(raw_catalogue, warned["catalogue"])
    except InputError as exc:
        problems += [p.text(lang) for p in exc.problems]
    try:
        wanted = parse_demands(raw_demands, warned["demands"])
    except InputError as exc:
        problems += [p.text(lang) for p in exc.problems]
    if problems:
        fail(problems, 1)
    # an unknown category is kept as a tag: one warning per label over both files
    said: set[str] = set()
    for where, found in warned.items():
        for w in found:
            label = w.params.get("value")
            if label in said:
                continue
            said.add(label)
            if lang == "zh":
                name = "目录" if where == "catalogue" else "需求"
                sys.stderr.write(f"警告：{name}{w.text('zh')}\n")
            else:
                sys.stderr.write(f"warning: {where}{w.text('en')}\n")
    semantic = not no_embeddings and variant in ("fused", "embeddings", "rrf")
    # one thread for the model (read when it loads): a batch command's CPU time is what it
    # costs on a shared machine, and idle OpenMP threads spin
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    model = embedder(semantic)
    index = MatchIndex(embedder=model, names=reference_names())
    index.add_many(offerings)
    if model is not None:  # every demand's vector in one batch, not one call per demand
        model.queries([demand_text(d) for d in wanted])
    out = sys.stdout
    for demand in wanted:
        matches = index.rank(demand, top=top, variant=variant)
        line = {"demand": demand.id, "results": [m.as_json(lang) for m in matches]}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if model is not None:
        model.save_cache()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zhizao match rank", description=HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    rank(**vars(args))
    return 0
