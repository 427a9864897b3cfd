"""``zhizao expo schedule --input FILE``: 1:1 meeting requests into slots, JSON in, JSON out.

Needs no database and no Django (``zhizao.cli`` calls ``main`` before Django starts). Exit 0 on
success; 1 on bad input or a fixed placement that breaks a rule, every problem on stderr (the
JSON path or id, then what is wrong; Chinese unless ``--language en``); 2 when the file cannot
be read or is not JSON, or the arguments are wrong. Never a traceback.
"""

from __future__ import annotations

import json
import sys

USAGE_ZH = "用法：zhizao expo schedule --input FILE [--time-limit 秒] [--solver highs|cp-sat] [--language zh-hans|en]"
USAGE_EN = "usage: zhizao expo schedule --input FILE [--time-limit SECONDS] [--solver highs|cp-sat] [--language zh-hans|en]"


def _args(argv: list[str]) -> tuple[dict, list[str]]:
    opts = {"input": None, "time-limit": None, "solver": None, "language": "zh-hans"}
    faults = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        key, _, value = arg[2:].partition("=") if arg.startswith("--") else ("", "", "")
        if key in opts:
            if not _:
                if i + 1 >= len(argv):
                    faults.append(("--" + key, "缺少取值", "needs a value"))
                    break
                value = argv[i + 1]
                i += 1
            opts[key] = value
        elif arg in ("-h", "--help"):
            opts["help"] = True
        else:
            faults.append((arg, "未知的参数", "unknown argument"))
        i += 1
    if opts["language"] not in ("zh-hans", "zh", "en"):
        faults.append(("--language", "须为 zh-hans 或 en", "must be zh-hans or en"))
        opts["language"] = "zh-hans"
    english = opts["language"] == "en"
    out = [f"{where}: {en if english else zh}" for where, zh, en in faults]
    if not opts.get("help") and not opts["input"] and not faults:
        out.append("--input: 缺少输入文件" if not english else "--input: the input file is missing")
    if opts["time-limit"] is not None:
        try:
            opts["time-limit"] = float(opts["time-limit"])
            if opts["time-limit"] <= 0:
                raise ValueError
        except ValueError:
            out.append(
                "--time-limit: 须为正数（秒）"
                if not english
                else "--time-limit: must be a positive number of seconds"
            )
    if opts["solver"] is not None and opts["solver"] not in ("highs", "cp-sat"):
        out.append(
            "--solver: 须为 highs 或 cp-sat" if not english else "--solver: must be highs or cp-sat"
        )
    return opts, out


def _not_json(name: str):
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON (RFC 8259), though Python reads
    them: the file is refused as not JSON (exit 2), not read as a number."""
    raise ValueError(f"{name} is not a JSON value")


def main(argv: list[str]) -> int:
    opts, faults = _args(argv)
    english = opts["language"] == "en"
    if opts.get("help"):
        sys.stdout.write((USAGE_EN if english else USAGE_ZH) + "\n")
        return 0
    if faults:
        for fault in faults:
            sys.stderr.write(fault + "\n")
        sys.stderr.write((USAGE_EN if english else USAGE_ZH) + "\n")
        return 2
    path = opts["input"]
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh, parse_constant=_not_json)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        sys.stderr.write(
            f"{path}: "
            + (f"cannot read the file ({reason})" if english else f"无法读取文件（{reason}）")
            + "\n"
        )
        return 2
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        sys.stderr.write(
            f"{path}: "
            + (f"not a JSON file ({exc})" if english else f"不是 JSON 文件（{exc}）")
            + "\n"
        )
        return 2
    try:
        from . import ScheduleError, parse_problem, schedule, to_json

        try:
            problem = parse_problem(data)
            kwargs = {"time_limit": opts["time-limit"]}
            if opts["solver"]:
                kwargs["solver"] = opts["solver"]
            result = schedule(problem, **kwargs)
        except ScheduleError as exc:
            for line in exc.problems_en if english else exc.problems:
                sys.stderr.write(line + "\n")
            return 1
        sys.stdout.write(json.dumps(to_json(result, opts["language"]), ensure_ascii=False) + "\n")
        return 0
    except Exception as exc:  # never a traceback: name the fault
        sys.stderr.write(
            ("internal error: " if english else "内部错误：") + f"{type(exc).__name__}: {exc}\n"
        )
        return 1
