"""Pictures of an access matrix: a PNG heatmap (matplotlib, the ``plot`` extra) and a self-contained HTML page.

The PNG has one row per principal and one column per action; a cell's colour
is the share of the resources allowed. The HTML page has one row per
(principal, action) and one column per resource, a cell per decision; hovering
a cell shows its decision and clicking it shows the explanation of that
request (the same text ``iamsim explain`` prints), embedded in the page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from iamsim._engine.result import Decision
from iamsim._matrix.result import AccessMatrix
from iamsim.errors import UsageError

__all__ = ["HTML_CELL_LIMIT", "render_html", "write_png"]

#: The most cells one HTML page holds: each carries its explanation, and a browser slows past this.
HTML_CELL_LIMIT = 20_000

_LETTER = {Decision.ALLOWED: "A", Decision.EXPLICIT_DENY: "D", Decision.IMPLICIT_DENY: "I"}


def write_png(matrix: AccessMatrix, path: Path) -> None:
    """Draw the principal × action heatmap (share of resources allowed) to ``path``."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("the PNG heatmap needs matplotlib: pip install 'iamsim[plot]'") from None
    count = len(matrix.resources)
    shares = [[row.allowed.bit_count() / count for row in rows] for rows in matrix.rows]
    width = min(40.0, 2.0 + 0.35 * len(matrix.actions))
    height = min(40.0, 1.5 + 0.3 * len(matrix.principals))
    figure, axes = plt.subplots(figsize=(width, height))
    image = axes.imshow(shares, aspect="auto", cmap="RdYlGn", vmin=0.0, vmax=1.0, interpolation="nearest")
    if len(matrix.actions) <= 80:
        axes.set_xticks(range(len(matrix.actions)), matrix.actions, rotation=90, fontsize=7)
    if len(matrix.principals) <= 80:
        axes.set_yticks(range(len(matrix.principals)), matrix.principals, fontsize=7)
    axes.set_xlabel("action")
    axes.set_ylabel("principal")
    axes.set_title(f"share of {count} resources allowed ({matrix.cells:,} cells)")
    figure.colorbar(image, ax=axes, fraction=0.03)
    # Long ARNs as labels: let the saved picture grow around the axes instead of squeezing them.
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)


def render_html(matrix: AccessMatrix, explain: Callable[[int, int, int], Sequence[str]]) -> str:
    """A self-contained page: the decision grid, each cell's explanation on click (``explain(p, a, r)``)."""
    if matrix.cells > HTML_CELL_LIMIT:
        raise UsageError(
            f"the HTML page holds at most {HTML_CELL_LIMIT:,} cells (each with its explanation); this matrix has "
            f"{matrix.cells:,}: give fewer principals, actions or resources, or use --png, --format json or csv"
        )
    explanations: list[str] = []
    body: list[str] = []
    header = "".join(f'<th class="r" title="{html.escape(r)}">{html.escape(r)}</th>' for r in matrix.resources)
    body.append(f"<tr><th>principal</th><th>action</th>{header}</tr>")
    for p, principal in enumerate(matrix.principals):
        for a, action in enumerate(matrix.actions):
            cells = []
            for r, resource in enumerate(matrix.resources):
                decision = matrix.decision(p, a, r)
                index = len(explanations)
                explanations.append("\n".join(explain(p, a, r)))
                hover = html.escape(f"{decision.value}: {action} on {resource}", quote=True)
                cells.append(f'<td class="{_LETTER[decision]}" data-i="{index}" title="{hover}"></td>')
            body.append(f"<tr><th>{html.escape(principal)}</th><th>{html.escape(action)}</th>{''.join(cells)}</tr>")
    # ``</`` cannot end the script element early once escaped.
    data = json.dumps(explanations).replace("</", "<\\/")
    summary = (
        f"{matrix.cells:,} cells: {matrix.allowed_count():,} allowed, {matrix.explicit_deny_count():,} explicitly "
        f"denied, {matrix.cells - matrix.allowed_count() - matrix.explicit_deny_count():,} implicitly denied"
    )
    return _PAGE.format(summary=html.escape(summary), rows="\n".join(body), data=data)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>iamsim access matrix</title>
<style>
body {{ font-family: sans-serif; margin: 1em; }}
table {{ border-collapse: collapse; font-size: 12px; }}
th {{ text-align: left; padding: 2px 6px; white-space: nowrap; }}
th.r {{ writing-mode: vertical-rl; transform: rotate(180deg); max-height: 16em; overflow: hidden; }}
td {{ width: 14px; height: 14px; border: 1px solid #fff; cursor: pointer; }}
td.A {{ background: #2e7d32; }} td.D {{ background: #c62828; }} td.I {{ background: #bdbdbd; }}
td.sel {{ outline: 2px solid #000; }}
#why {{ position: sticky; top: 0; background: #fafafa; border: 1px solid #ccc; padding: .5em; white-space: pre-wrap;
  font-family: monospace; min-height: 3em; }}
</style></head><body>
<h1>Access matrix</h1>
<p>{summary}. Green: allowed; red: explicit deny; grey: implicit deny. Click a cell for its explanation.</p>
<div id="why">Click a cell.</div>
<table>
{rows}
</table>
<script>
const EXPLANATIONS = {data};
let chosen = null;
document.querySelector("table").addEventListener("click", (event) => {{
  const cell = event.target.closest("td");
  if (!cell) return;
  if (chosen) chosen.classList.remove("sel");
  chosen = cell;
  cell.classList.add("sel");
  document.getElementById("why").textContent = cell.title + "\\n\\n" + EXPLANATIONS[Number(cell.dataset.i)];
}});
</script>
</body></html>
"""
