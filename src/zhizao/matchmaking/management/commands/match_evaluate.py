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
from dataclasses import replace
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
from zhizao_core.matching.evaluate import (
    DEMAND_TYPES,
    GRID,
    BigramBaseline,
    _Query,
    evaluate_variants,
    gap_calibration,
    metrics_by_type,
    prepare,
    ranking,
)
from zhizao_core.matching.rank import PROBLEM, Weights, component_matrix

from ._matching import GOLD_DIR, embedder, fail, read_json, reference_names

#: the weights shipped before issue 16 (tuned on the gold set as it was, category-led)
AS_IT_WAS = {
    "fused_lexical": Weights(
        lexical=0.1, semantic=0.0, category=0.4, industry=0.0, cases=0.1, local=0.1, nice=0.1
    ),
    "fused": Weights(
        lexical=0.1, semantic=0.05, category=0.4, industry=0.0, cases=0.1, local=0.05, nice=0.05
    ),
}

#: the weights shipped with the problem reading (issue 16), before the domain fit
READING = {
    "fused_lexical": Weights(
        lexical=0.3, semantic=0.0, category=0.4, industry=0.2, cases=0.05, local=0.1, nice=0.0
    ),
    "fused": Weights(
        lexical=0.2, semantic=0.3, category=0.2, industry=0.1, cases=0.0, local=0.05, nice=0.0
    ),
}

#: the weight sets stored in data/weights.json
SHIPPED = ("fused_lexical", "fused", "fused_lexical" + PROBLEM, "fused" + PROBLEM)
#: what ``--tune`` searches for a demand that names no category (the rest as for the others)
PROBLEM_TUNED = ("domain",)


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
        parser.add_argument(
            "--split",
            default="all",
            choices=("dev", "test", "all"),
            help="Print only this split (dev while tuning: the test split is read once, at "
            "the end); 'all' prints dev, test and both together.",
        )
        parser.add_argument(
            "--gaps",
            action="store_true",
            help="Calibrate the supply-gap threshold (ZHIZAO_MATCH_GAP_SCORE) on dev.",
        )
        parser.add_argument(
            "--by-type",
            action="store_true",
            help="Compare the problem-understanding variants per demand type (issue 16).",
        )

    def handle(
        self,
        *args,
        gold,
        format,
        retune,
        write_weights,
        no_embeddings,
        by_type,
        split,
        gaps=False,
        **options,
    ):
        splits = ("dev", "test", "all") if split == "all" else (split,)
        started = time.perf_counter()
        folder = Path(gold)
        offerings, demands, judgments = self._read(folder)
        model = embedder(not no_embeddings)
        index = MatchIndex(embedder=model, names=reference_names())
        index.add_many(offerings)
        index.add_demands(demands)
        if gaps:
            self._gaps(index, demands, judgments, model, format, started)
            return
        if by_type:
            self._by_type(
                folder, index, offerings, demands, judgments, model, format, started, splits
            )
            return
        named = {d.id: bool(d.category) for d in demands}
        forward = prepare({d.id: index.candidates(d, limit=10**9) for d in demands}, named=named)
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
            # the weights are tuned on the whole development split as before (without the
            # domain fit); those of demands that name no category add the domain fit, its
            # weight searched on such demands of the development split only
            unnamed = {i for i in dev if not named[i]}
            for variant in ("fused_lexical", "fused"):
                if variant == "fused" and model is None:
                    continue
                w, score = tune(
                    forward,
                    judgments,
                    variant,
                    replace(weights[variant], domain=0.0),
                    set(dev),
                    names=[n for n in GRID if n not in PROBLEM_TUNED],
                )
                weights[variant] = w
                tuned[variant] = {"weights": w.as_json(), "dev_ndcg@10": round(score, 4)}
                w, score = tune(
                    forward,
                    judgments,
                    variant,
                    replace(w, domain=0.0),
                    unnamed,
                    names=PROBLEM_TUNED,
                )
                weights[variant + PROBLEM] = w
                tuned[variant + PROBLEM] = {"weights": w.as_json(), "dev_ndcg@10": round(score, 4)}
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
        for row in rows:
            for name in ("dev", "test", "all"):
                if name not in splits:
                    del row[name]
        result = {
            "gold": str(folder),
            "splits": list(splits),
            "offerings": len(offerings),
            "demands": len(demands),
            "dev_demands": len(dev),
            "test_demands": len(test),
            "embedder": model.name if model else None,
            "variants": rows,
            "weights": {k: weights[k].as_json() for k in SHIPPED if k in weights},
            "tuned": tuned,
            "seconds": round(time.perf_counter() - started, 1),
        }
        if format == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(self._table(result))

    def _by_type(
        self, folder, index, offerings, demands, judgments, model, format, started, splits
    ):
        """nDCG@10, P@5, Recall@50 per demand type (category given / problem only / wrong
        category) and split, for the baseline, the ranking as it was and each step added."""
        raw = read_json(folder / "demands.json", "zh")
        types = {str(d.get("id")): d.get("style") or "category_given" for d in raw}
        dev, test = split_demands([d.id for d in demands])
        baseline = BigramBaseline(offerings)
        variants = [("bigram baseline", None, None)]
        for label, understand in (
            ("as it was", "none"),
            ("+lexicon", "lexicon"),
            ("+inferred category", "full"),
            ("+domain fit", "fit"),
        ):
            variants.append((label, understand, "fused_lexical"))
            if model is not None:
                variants.append((label + " +embedding", understand, "fused"))
        rankings: dict[str, dict[str, list[str]]] = {}
        prepared = {}
        for label, understand, variant in variants:
            out = {}
            if understand is None:
                for d in demands:
                    allowed = {
                        c.offering.id
                        for c in index.candidates(d, semantic=False, limit=10**9, understand="none")
                    }
                    out[d.id] = baseline.rank(d, allowed)
            else:
                reading = "full" if understand == "fit" else understand
                if reading not in prepared:
                    prepared[reading] = prepare(
                        {
                            d.id: index.candidates(d, limit=10**9, understand=reading)
                            for d in demands
                        },
                        named={d.id: bool(d.category) for d in demands},
                    )
                w = index.weights.get(variant) or index.weights["fused"]
                problem = index.weights.get(variant + PROBLEM)
                if understand == "none":  # the ranking as it was: its own weights too
                    w, problem = AS_IT_WAS[variant], None
                elif understand != "fit":  # the reading as shipped before the domain fit
                    w, problem = READING[variant], None
                for q in prepared[reading]:
                    out[q.ident] = ranking(q, variant, w, problem=problem)
            rankings[label] = out
        result = {
            "gold": str(folder),
            "embedder": model.name if model else None,
            "demands": {t: sum(1 for v in types.values() if v == t) for t in DEMAND_TYPES},
            "rows": [
                {
                    "variant": label,
                    "splits": {
                        split: metrics_by_type(rankings[label], judgments, types, only)
                        for split, only in (("dev", set(dev)), ("test", set(test)), ("all", None))
                        if split in splits
                    },
                }
                for label, _, _ in variants
            ],
            "seconds": round(time.perf_counter() - started, 1),
        }
        if model is not None:
            model.save_cache()
        if format == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
            return
        lines = [
            f"{result['gold']} — demands per type {result['demands']}; embedder "
            f"{result['embedder']}",
            "",
        ]
        head = f"{'variant':<32} {'split':<5}"
        for t in (*DEMAND_TYPES, "all"):
            head += f" | {t[:14]:>14} nDCG  P@5  R@50"
        lines.append(head)

        def f(x):
            return "  – " if x != x else f"{x:.3f}"

        for row in result["rows"]:
            for i, split in enumerate(splits):
                line = f"{row['variant'] if i == 0 else '':<32} {split:<5}"
                for t in (*DEMAND_TYPES, "all"):
                    m = row["splits"][split][t]
                    line += (
                        f" | n={m['demands']:<3} {f(m['ndcg@10']):>10} {f(m['p@5'])}"
                        f" {f(m['recall@50'])}"
                    )
                lines.append(line)
        lines.append(f"({result['seconds']} s)")
        sys.stdout.write("\n".join(lines) + "\n")

    def _gaps(self, index, demands, judgments, model, format, started):
        """The supply-gap threshold, calibrated on the development split with the shipped
        ranking (the best offering of each demand, as the supply-gap page reads it)."""
        variant = "fused" if model is not None else "fused_lexical"
        best = {}
        for d in demands:
            top = index.rank(d, top=1, variant=variant)
            best[d.id] = (top[0].score, top[0].meets_all) if top else (None, False)
        if model is not None:
            model.save_cache()
        dev, test = split_demands([d.id for d in demands])
        result = gap_calibration(best, judgments, dev, test)
        result["variant"] = variant
        result["seconds"] = round(time.perf_counter() - started, 1)
        if format == "json":
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
            return
        lines = ["threshold | dev: gaps found / gaps, false alarms / non-gaps, Youden J"]
        for row in result["rows"]:
            c = row["dev"]
            mark = "  <- chosen" if row["threshold"] == result["threshold"] else ""
            lines.append(
                f"{row['threshold']:.2f}      | {c['found']}/{c['gaps']}, "
                f"{c['false_alarms']}/{c['non_gaps']}, {c['youden']:.3f}{mark}"
            )
        t = result["test"]
        lines.append(
            f"test at {result['threshold']:.2f}: {t['found']}/{t['gaps']} gaps found, "
            f"{t['false_alarms']}/{t['non_gaps']} false alarms, J {t['youden']:.3f} "
            f"({variant}, {result['seconds']} s)"
        )
        sys.stdout.write("\n".join(lines) + "\n")

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
            "variants": {k: weights[k].as_json() for k in SHIPPED if k in weights},
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
            for i, split in enumerate(r["splits"]):
                m = row[split]
                cov = (
                    (f(row["coverage_offerings"]), f(row["coverage_demands"]))
                    if i == len(r["splits"]) - 1
                    else ("", "")
                )
                lines.append(
                    f"{row['variant'] if i == 0 else '':<14} {split:<5} "
                    f"{f(m['ndcg@10']):>8} {f(m['p@5']):>6} {f(m['recall@50']):>6}"
                    f" {cov[0]:>8} {cov[1]:>8}"
                )
        for name, info in r["tuned"].items():
            lines.append(f"tuned {name}: dev nDCG@10 {info['dev_ndcg@10']} {info['weights']}")
        lines.append(f"({r['seconds']} s)")
        return "\n".join(lines) + "\n"
