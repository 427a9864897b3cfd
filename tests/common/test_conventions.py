"""The conventions of "one way to build an app" (docs/architecture.md), checked on the source.

* Interfaces are thin: pages, the API, tasks and commands never write the audit log, open a
  transaction or write a model themselves — services do.
* Imports flow one way: no module of ``zhizao`` imports (even lazily, inside a function) a
  module that imports it back.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
ZHIZAO = SRC / "zhizao"

# Calls that write, whatever the receiver.
WRITE_METHODS = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Calls that write when made on a manager or a queryset (``Model.objects…``): ``dict.update``
# and friends on plain names stay allowed.
QUERYSET_WRITES = {"update", "delete", "create"}
QUERYSET_STEPS = {
    "objects",
    "all",
    "filter",
    "exclude",
    "select_for_update",
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "order_by",
    "using",
}

# (file relative to src/zhizao, call) pairs allowed on purpose, each with its reason.
ALLOWED: set[tuple[str, str]] = set()


def interface_files() -> list[Path]:
    files = [
        *ZHIZAO.glob("*/views.py"),
        *ZHIZAO.glob("*/views/*.py"),
        *(ZHIZAO / "api").rglob("*.py"),
        *ZHIZAO.glob("*/tasks.py"),
        *ZHIZAO.glob("*/management/commands/*.py"),
    ]
    return sorted(set(files))


def _on_queryset(node: ast.expr) -> bool:
    """``X.objects``, ``X.objects.filter(…)``, ``qs.filter(…).exclude(…)``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "objects"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERYSET_STEPS
    return False


def writes_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        call = ""
        if name == "record" or (isinstance(func, ast.Attribute) and name == "record"):
            call = "record"
        elif name == "atomic":
            call = "transaction.atomic"
        elif name == "save" and isinstance(func, ast.Attribute):
            call = ".save"
        elif name in WRITE_METHODS:
            call = f".{name}"
        elif (
            name in QUERYSET_WRITES and isinstance(func, ast.Attribute) and _on_queryset(func.value)
        ):
            call = f".{name}"
        elif name == "on_commit":
            call = "transaction.on_commit"
        if call:
            rel = path.relative_to(ZHIZAO).as_posix()
            if (rel, call) not in ALLOWED:
                found.append((node.lineno, node.col_offset, f"{rel}:{node.lineno}: {call}"))
    return [text for _line, _col, text in sorted(found)]


def test_interfaces_never_write_audit_transactions_or_models_themselves():
    files = interface_files()
    assert len(files) > 30  # the walk found the interfaces
    assert [hit for path in files for hit in writes_in(path)] == []


def test_the_write_check_sees_each_kind_of_write(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def view(request, org, context):\n"
        "    record(actor, 'update', org)\n"
        "    audit.record(actor, 'update', org)\n"
        "    with transaction.atomic():\n"
        "        org.save()\n"
        "    Organization.objects.create(name='x')\n"
        "    Organization.objects.filter(pk=1).update(name='y')\n"
        "    Organization.objects.filter(pk=1).delete()\n"
        "    Contact.objects.bulk_create([])\n"
        "    transaction.on_commit(lambda: None)\n"
        "    context.update({'a': 1})\n",
        encoding="utf-8",
    )
    hits = [hit.split(": ", 1)[1] for hit in writes_in_any(sample)]
    assert hits == [
        "record",
        "record",
        "transaction.atomic",
        ".save",
        ".create",
        ".update",
        ".delete",
        ".bulk_create",
        "transaction.on_commit",
    ]


def writes_in_any(path: Path) -> list[str]:
    """``writes_in`` for a file outside the source tree (the check's own test)."""
    global ZHIZAO
    saved, ZHIZAO = ZHIZAO, path.parent
    try:
        return writes_in(path)
    finally:
        ZHIZAO = saved


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the ``zhizao`` modules it imports, at module level or inside functions."""
    paths = {_module_name(p): p for p in ZHIZAO.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                candidates = [target, *(f"{target}.{alias.name}" for alias in node.names)]
                deps.update(c for c in candidates if c in paths)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names if alias.name in paths)
        deps.discard(name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_even_through_imports_inside_functions():
    graph = import_graph()
    assert "zhizao.diagnosis.models" in graph
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_lazy_cycle():
    graph = {
        "app.models": {"app.loading"},  # the import inside a method
        "app.loading": {"app.services"},
        "app.services": {"app.models"},
        "app.views": {"app.services"},
    }
    assert cycles(graph) == [["app.loading", "app.models", "app.services"]]
