"""Each object's state machine as an SVG drawn by Graphviz (`dot`, Debian's `graphviz` package, installed
by scripts/setup-system), through the `graphviz` Python package, which writes and escapes the DOT.

Taken edges are solid and labelled with how many scenarios took them; untaken ones are dashed and
red, so gaps stand out. Each edge links to its row of the coverage table (`#edge-<type>-<n>`).
"""

from __future__ import annotations

import graphviz  # type: ignore[import-untyped]

from harness.report.coverage import MachineCoverage

__all__ = ["draw"]

_START = "__start__"
TAKEN, UNTAKEN, UNDECLARED = "#1b7f3b", "#c62828", "#8e24aa"


class DiagramUnavailableError(Exception):
    """Graphviz's `dot` is not installed (run scripts/setup-system)."""


def edge_anchor(object_type: str, index: int) -> str:
    """The id of an edge's row in the coverage table."""
    return f"edge-{object_type}-{index}"


def draw(machine: MachineCoverage) -> str:
    """The machine as an inline `<svg>` element (no XML prolog)."""
    graph = graphviz.Digraph(machine.object_type, graph_attr={"rankdir": "LR", "fontname": "sans-serif",
                                                              "bgcolor": "transparent"},
                             node_attr={"shape": "box", "style": "rounded", "fontname": "sans-serif"},
                             edge_attr={"fontname": "sans-serif", "fontsize": "9"})
    graph.node(_START, label="", shape="circle", width="0.2", style="filled", fillcolor="black")
    for state in machine.states:
        graph.node(state, label=state)
    for index, edge in enumerate(machine.edges):
        taken = bool(edge.scenarios)
        colour = UNDECLARED if not edge.declared else TAKEN if taken else UNTAKEN
        label = f"{edge.cause} ({len(edge.scenarios)})" if taken else f"{edge.cause} (0)"
        graph.edge(edge.from_state or _START, edge.to_state, label=label, color=colour, fontcolor=colour,
                   style="solid" if taken else "dashed", penwidth="1.6" if taken else "1",
                   URL=f"#{edge_anchor(machine.object_type, index)}",
                   tooltip=f"{edge.from_state or 'created'} -> {edge.to_state}: {edge.because}; "
                           f"{len(edge.scenarios)} scenario(s)")
    try:
        svg: str = graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as error:
        raise DiagramUnavailableError("Graphviz's dot is not installed: run scripts/setup-system "
                                      "(apt-get install graphviz)") from error
    return svg[svg.index("<svg"):]
