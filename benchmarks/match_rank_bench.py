"""``zhizao match rank`` on a held-out-like input of 455 offerings × 60 demands: CPU time
(user + sys of the command and its children) cold (empty embedding cache) and warm.

    .venv/bin/python benchmarks/match_rank_bench.py [--runs 1] [--keep DIR] [--env K=V ...]

The input is made from the gold set (src/zhizao/matchmaking/data/gold/) at the held-out set's
size: its 378 offerings plus 77 variants of them (another provider and place, the description's
sentences in another order, so their texts are new and are embedded, as a provider pool's near
duplicates are), and 60 of its demands, every third of those written as factory managers write
(problem only, wrong category) and the rest with their category — the held-out set's mix. The
same files every run (fixed seed). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "src" / "zhizao" / "matchmaking" / "data" / "gold"
OFFERINGS, DEMANDS = 455, 60
ZHIZAO = ROOT / ".venv" / "bin" / "zhizao"
#: the command: the checkout's own ``zhizao`` script, or this interpreter running ``zhizao.cli``
#: (a worktree without a virtual environment of its own; PYTHONPATH says which sources)
COMMAND = [str(ZHIZAO)] if ZHIZAO.exists() else [sys.executable, "-m", "zhizao.cli"]


def make_input(directory: Path, seed: int = 20261207) -> tuple[Path, Path]:
    rng = random.Random(seed)
    catalogue = json.loads((GOLD / "catalogue.json").read_text("utf-8"))
    demands = json.loads((GOLD / "demands.json").read_text("utf-8"))
    extra = []
    for i, base in enumerate(rng.sample(catalogue, OFFERINGS - len(catalogue))):
        o = dict(base)
        o["id"] = f"x{i + 1:03d}"
        parts = [p for p in o.get("description", "").split("。") if p]
        rng.shuffle(parts)
        o["description"] = "。".join(parts) + ("。" if parts else "")
        o["provider"] = f"{o.get('provider') or '某公司'}（{rng.choice('苏锡常宁扬泰通')}州分公司）"
        o["title"] = o["title"] + rng.choice(["（升级版）", "（标准版）", "（区域服务）", " 2.0"])
        extra.append(o)
    catalogue = catalogue + extra
    written = [d for d in demands if d.get("style") in ("problem_only", "wrong_category")]
    given = [d for d in demands if d not in written]
    chosen = rng.sample(written, DEMANDS // 3) + rng.sample(given, DEMANDS - DEMANDS // 3)
    rng.shuffle(chosen)
    chosen = [{k: v for k, v in d.items() if k != "style"} for d in chosen]
    cat_path, dem_path = directory / "catalogue.json", directory / "demands.json"
    cat_path.write_text(json.dumps(catalogue, ensure_ascii=False), "utf-8")
    dem_path.write_text(json.dumps(chosen, ensure_ascii=False), "utf-8")
    return cat_path, dem_path


def run(cmd: list[str], env: dict) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(proc.returncode)
    return {
        "user_s": round(after.ru_utime - before.ru_utime, 2),
        "sys_s": round(after.ru_stime - before.ru_stime, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "wall_s": round(wall, 2),
        "max_rss_mib": round(after.ru_maxrss / 1024, 1),
        "lines": proc.stdout.count("\n"),
        "stdout": proc.stdout,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="cold/warm pairs (default 1)")
    parser.add_argument("--keep", help="write the input files here and keep them")
    parser.add_argument("--env", action="append", default=[], help="extra K=V for the command")
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="zt-match-rank-"))
    work.mkdir(parents=True, exist_ok=True)
    cat_path, dem_path = make_input(work)
    cmd = [*COMMAND, "match", "rank", "--catalogue", str(cat_path), "--demands", str(dem_path)]
    if args.no_embeddings:
        cmd.append("--no-embeddings")
    results = []
    for r in range(args.runs):
        cache = work / f"cache-{r}"
        env = dict(os.environ, ZHIZAO_CACHE_DIR=str(cache))
        env.update(kv.split("=", 1) for kv in args.env)
        cold = run(cmd, env)
        warm = run(cmd, env)
        same = cold.pop("stdout") == warm.pop("stdout")
        results.append({"cold": cold, "warm": warm, "same_output": same})
        sys.stderr.write(json.dumps(results[-1]) + "\n")
    print(
        json.dumps(
            {
                "offerings": OFFERINGS,
                "demands": DEMANDS,
                "cpus": os.cpu_count(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "env": args.env,
                "runs": results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
