"""No module of ours imports, even for type hints only, a module that imports it back,
directly or through others: each service receives the data folder and the services it
uses, and none of them knows the Office (import-linter's contracts hold the layers; this
holds every module, inside a layer too)."""

import grimp

PACKAGES = ("procedure", "cli", "tui", "store", "archive", "safefiles")


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import each other round (Tarjan's strongly connected
    components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_round_type_hints_included() -> None:
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False)
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    graph = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=a, imported=b)
    assert cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_no_service_knows_the_office() -> None:
    graph = grimp.build_graph("procedure", exclude_type_checking_imports=False)
    services = graph.find_descendants("procedure.services")
    assert not {
        m for m in services if "procedure.office" in graph.find_modules_directly_imported_by(m)
    }
