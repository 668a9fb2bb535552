"""The package layout: features above shared modules, and no package cycle in forum/."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

FORUM = Path(__file__).resolve().parent.parent / "forum"


def package_imports() -> dict[str, set[str]]:
    """For each top-level part of forum/ (a package or a module), the parts it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in FORUM.rglob("*.py"):
        source = path.relative_to(FORUM).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "forum":
                    targets = [alias.name for alias in node.names]
                elif node.module.startswith("forum."):
                    targets = [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                targets = [a.name.split(".")[1] for a in node.names if a.name.startswith("forum.")]
            graph[source].update(t for t in targets if t != source)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one part (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_package_in_forum_imports_itself_back_through_others() -> None:
    assert cycles(package_imports()) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_shared_modules_import_no_feature() -> None:
    features = {path.name for path in FORUM.iterdir() if (path / "views.py").exists()}
    graph = package_imports()
    shared = ("web", "text", "errors", "extensions", "config", "policies", "models", "safety")
    for module in shared:
        assert not graph.get(module, set()) & features, f"forum/{module} imports a feature"


def test_no_view_module_imports_another_features_views() -> None:
    for path in FORUM.rglob("*views.py"):
        feature = path.relative_to(FORUM).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and "views" in node.module:
                assert node.module.split(".")[1] == feature, f"{path} imports {node.module}"
