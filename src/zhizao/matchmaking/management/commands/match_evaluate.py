"""``zhizao match evaluate [--gold DIR] [--format table|json] [--tune] [--write-weights]``

Evaluates every ranking variant on a gold set (``catalogue.json``, ``demands.json``,
``judgments.json``; default the shipped set in src/zhizao/matchmaking/data/gold/) and prints
nDCG@10, P@5 (grade ≥ 2), Recall@50 on the development and test splits of the demands, and
two-sided coverage (offerings in some demand's top 10; demands in some offering's top 10).
``--tune`` searches the fused weights on the development split first (the test split is never
used for it); ``--write-weights`` stores them as the shipped weights.
"""

from __future__ import annotations

import json
import sys
import time
from importlib import resources
from pathlib import Path

from django.core.management.base import BaseCommand

from zhizao_core.matching import (
    InputError,
    Judgments,
    MatchIndex,
    parse_catalogue,
    parse_demands,
    split_demands,
    tune,
)
from zhizao_core.matching.evaluate import _Query, evaluate_variants, prepare
from zhizao_core.matching.rank import component_matrix

from ._matching import GOLD_DIR, embedder, fail, read_json, reference_names


class Command(BaseCommand):
    help = "Evaluate the ranking variants on a gold set (nDCG@10, P@5, Recall@50, coverage)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--gold", default=str(GOLD_DIR), help="Gold set directory.")
        parser.add_argument("--format", default="table", choices=("table", "json"))
        parser.add_argument(
            "--tune", dest="retune", action="store_true", help="Tune fused weights on dev."
        )
        parser.add_argument(
            "--write-weights",
            action="store_true",
            help="With --tune: store the tuned weights as the shipped ones.",
        )
        parser.add_argument("--no-embeddings", action="store_true")

    def handle(self, *args, gold, format, retune, write_weights, no_embeddings, **options):
        started = time.perf_counter()
        folder = Path(gold)
        offerings, demands, judgments = self._read(folder)
        model = embedder(not no_embeddings)
        index = MatchIndex(embedder=model, names=reference_names())
        index.add_many(offerings)
        index.add_demands(demands)
        forward = prepare({d.id: index.candidates(d, limit=10**9) for d in demands})
        reverse = []
        for o in offerings:
            pairs = index.demand_candidates(o)
            cands = [c for _, c in pairs]
            ids = [d.id for d, _ in pairs]
            reverse.append(_Query(o.id, ids, ids, component_matrix(cands)))
        if model is not None:
            model.save_cache()
        dev, test = split_demands([d.id for d in demands])
        weights = dict(index.weights)
        tuned = {}
        if retune:
            for variant in ("fused_lexical", "fused"):
                if variant == "fused" and model is None:
                    continue
                w, score = tune(forward, judgments, variant, weights[variant], set(dev))
                weights[variant] = w
                tuned[variant] = {"weights": w.as_json(), "dev_ndcg@10": round(score, 4)}
            if write_weights:
                self._write(weights)
        rows = evaluate_variants(
            forward,
            reverse,
            judgments,
            weights,
            n_offerings=len(offerings),
            n_demands=len(demands),
            dev=set(dev),
            test=set(test),
        )
        result = {
            "gold": str(folder),
            "offerings": len(offerings),
            "demands": len(demands),
            "dev_demands": len(dev),
            "test_demands": len(test),
            "embedder": model.name if model else None,
            "variants": rows,
            "weights": {k: weights[k].as_json() for k in ("fused_lexical", "fused")},
            "tuned": tuned,
            "seconds": round(time.perf_counter() - started, 1),
        }
        if format == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(self._table(result))

    def _read(self, folder: Path):
        lang = "zh"
        problems = []
        raw = {
            name: read_json(folder / f"{name}.json", lang)
            for name in ("catalogue", "demands", "judgments")
        }
        offerings = demands = []
        try:
            offerings = parse_catalogue(raw["catalogue"])
        except InputError as exc:
            problems += [f"catalogue.json {p.text(lang)}" for p in exc.problems]
        try:
            demands = parse_demands(raw["demands"])
        except InputError as exc:
            problems += [f"demands.json {p.text(lang)}" for p in exc.problems]
        rows = raw["judgments"]
        ok_rows = []
        if not isinstance(rows, list):
            problems.append("judgments.json $: 文件内容应为 JSON 列表")
            rows = []
        for i, row in enumerate(rows):
            if (
                not isinstance(row, dict)
                or not {"demand", "offering", "grade"} <= row.keys()
                or row["grade"] not in (0, 1, 2, 3)
            ):
                problems.append(f"judgments.json [{i}]: 应为 {{demand, offering, grade: 0–3}}")
                continue
            ok_rows.append(row)
        if problems:
            fail(problems, 1)
        return offerings, demands, Judgments.from_rows(ok_rows)

    def _write(self, weights):
        path = Path(str(resources.files("zhizao_core.matching").joinpath("data", "weights.json")))
        data = {
            "note": "Tuned by `zhizao match evaluate --tune --write-weights` on the development "
            "split of the shipped gold set; see docs/matching.md.",
            "variants": {k: weights[k].as_json() for k in ("fused_lexical", "fused")},
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")

    def _table(self, r) -> str:
        lines = [
            f"gold: {r['gold']} — {r['offerings']} offerings, {r['demands']} demands "
            f"(dev {r['dev_demands']}, test {r['test_demands']}); embedder: {r['embedder']}",
            "",
            f"{'variant':<14} {'split':<5} {'nDCG@10':>8} {'P@5':>6} {'R@50':>6}"
            f" {'cov.off':>8} {'cov.dem':>8}",
        ]

        def f(x):
            return "   –" if x is None or x != x else f"{x:.3f}"

        for row in r["variants"]:
            for split in ("dev", "test", "all"):
                m = row[split]
                cov = (
                    (f(row["coverage_offerings"]), f(row["coverage_demands"]))
                    if split == "all"
                    else ("", "")
                )
                lines.append(
                    f"{row['variant'] if split == 'dev' else '':<14} {split:<5} "
                    f"{f(m['ndcg@10']):>8} {f(m['p@5']):>6} {f(m['recall@50']):>6}"
                    f" {cov[0]:>8} {cov[1]:>8}"
                )
        for name, info in r["tuned"].items():
            lines.append(f"tuned {name}: dev nDCG@10 {info['dev_ndcg@10']} {info['weights']}")
        lines.append(f"({r['seconds']} s)")
        return "\n".join(lines) + "\n"
