"""Import figures of app/: loops, imports that run up a layer, imports placed inside functions.

    .venv/bin/python scripts/import_figures.py [ROOT] [-v]

Reads the source (ast), so it counts imports inside functions too, which a run of the code would
not see until they run. Layers as in pyproject.toml's import contract; the factory (app/__init__.py)
is on top. -v lists the loops and the upward imports.
"""

from __future__ import annotations

import ast
import collections
import pathlib
import sys

LAYERS = [
    ["core", "extensions", "db"],
    ["auth", "audit"],
    ["tasks"],
    ["org"],
    ["jobs"],
    ["appraisals"],
    ["transfer", "backup"],
    ["documents"],
    ["api"],
    ["demo"],
    ["__init__"],
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def main(root: pathlib.Path, verbose: bool) -> None:
    def module_name(path: pathlib.Path) -> str:
        parts = list(path.relative_to(root).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    modules = {module_name(path): path for path in (root / "app").rglob("*.py")}

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    def package(module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else "__init__"

    edges: dict[str, set[str]] = collections.defaultdict(set)
    inside: list[tuple[str, str]] = []
    for module, path in modules.items():

        def visit(node: ast.AST, in_function: bool, module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                targets = []
                if isinstance(child, ast.Import):
                    targets = [alias.name for alias in child.names]
                elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                    targets = [f"{child.module}.{alias.name}" for alias in child.names]
                for target in targets:
                    found = resolve(target) if target.startswith("app") else ""
                    if found and found != module:
                        edges[module].add(found)
                        if in_function:
                            inside.append((module, found))
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

        visit(ast.parse(path.read_text()), False)

    related = lambda a, b: a.startswith(b + ".") or b.startswith(a + ".")  # noqa: E731 (a package and its own module)
    graph = {module: {t for t in targets if not related(module, t)} for module, targets in edges.items()}
    loops = strongly_connected(graph, list(modules))
    upward = sorted(
        {(m, t) for m, targets in edges.items() for t in targets if RANK.get(package(t), 0) > RANK.get(package(m), 0)}
    )
    print(f"import loops: {len(loops)}, the largest through {max(map(len, loops), default=0)} modules")
    print(f"upward imports (module pairs): {len(upward)}")
    factory = sum(1 for m, _ in inside if m == "app")
    print(f"imports inside functions: {len(inside)} ({factory} of them in the factory, app/__init__.py)")
    if verbose:
        for loop in loops:
            print("  loop:", " ".join(sorted(loop)))
        for module, target in upward:
            print("  up:", module, "->", target)
        for module, count in collections.Counter(m for m, _ in inside).most_common(10):
            print("  inside functions:", count, module)


def strongly_connected(graph: dict[str, set[str]], nodes: list[str]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of two or more modules that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    sys.setrecursionlimit(10_000)
    for node in nodes:
        if node not in index:
            visit(node)
    return found


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    main(pathlib.Path(args[0] if args else "."), "-v" in sys.argv)
