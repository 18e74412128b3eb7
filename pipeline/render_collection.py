"""The collection-level parts of the report: the keyword map, related documents, trends.

Pure functions from the corpus artifacts of steps ``map``, ``related`` and ``trends`` to
HTML strings, as :mod:`pipeline.render_bilingual` does for the glossary;
:mod:`pipeline.render` calls them when it assembles the page:

* :func:`keyword_map_html`, the page's "Keyword map" section: the ``concepts`` view of
  ``map/corpus.json`` as an inline SVG (no library, no network). Nodes at their layout
  position, radius by documents (square-root scale), coloured by cluster, the strongest
  edges as thin lines, the biggest nodes labelled; each node carries its documents' ids
  (``data-docs``), and the page's script filters the document list to them on a click;
* :func:`related_html`, the "Related:" line of a document's article, put in at
  assembly (the ``related`` artifact is corpus-level: rendered into the sections, every
  document's section would change whenever a document is added);
* :func:`trends_html`, the page's "Trends" section: the rising and falling concepts as
  small multiples (a tiny bar chart of documents per year each), or a line saying the
  documents have no year and how to give them one.

Everything is deterministic: same artifacts, same HTML (numbers are printed with a
fixed precision, ties broken by key). This module imports nothing of the package.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

#: Cluster colours (cycled for more clusters): Tableau 10.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
#: The map's drawing box (the SVG scales to the page's width).
MAP_WIDTH = 960
MAP_HEIGHT = 640
_PAD = 40
#: Edges drawn (the strongest); nodes labelled (the biggest).
MAP_EDGES = 500
MAP_LABELS = 40
#: Node radius range (pixels of the drawing box).
_R_MIN, _R_MAX, _R_SAME = 3.5, 16.0, 6.0
#: A label's estimated size (11px text): width per character, height.
_CHAR_W, _LABEL_H = 6.2, 13.0
#: Related documents linked per article.
RELATED_SHOWN = 5
#: Concepts charted in the trends section.
TRENDS_SHOWN = 12
#: The view of the map and trends the page shows.
VIEW = "concepts"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _f(value: float) -> str:
    """A coordinate with one decimal (deterministic, short)."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def cluster_colour(cluster) -> str:
    try:
        return PALETTE[int(cluster) % len(PALETTE)]
    except (TypeError, ValueError):
        return "#7b8794"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# -- the keyword map ----------------------------------------------------------------------

def _scale(values: list[float], size: float) -> Callable[[float], float]:
    """Map ``values``' range onto ``[_PAD, size - _PAD]`` (the middle when they are equal)."""
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    span = high - low
    if span <= 1e-12:
        return lambda v: size / 2
    return lambda v: _PAD + (v - low) / span * (size - 2 * _PAD)


def _labels(nodes: list[dict], where: dict, radius: Callable[[dict], float]) -> list[tuple[dict, float, float]]:
    """The labels drawn: the biggest nodes first, up to :data:`MAP_LABELS`, each above its
    node (kept inside the box) unless it would overlap one already placed; by key."""
    placed: list[tuple[float, float, float, float]] = []
    kept = []
    for node in sorted(nodes, key=lambda n: (-int(n.get("documents", 0)), n["key"])):
        if len(kept) >= MAP_LABELS:
            break
        x, y = where[node["key"]]
        half = len(node["label"]) * _CHAR_W / 2
        x = min(max(x, half + 2), MAP_WIDTH - half - 2)
        y = max(y - radius(node) - 3, _LABEL_H)
        box = (x - half, y - _LABEL_H, x + half, y)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        kept.append((node, x, y))
    return sorted(kept, key=lambda item: item[0]["key"])


def keyword_map_svg(view: dict) -> str:
    """The ``<svg>`` of one view of the map artifact (``nodes`` and ``edges``)."""
    nodes = sorted(view.get("nodes") or [], key=lambda n: n["key"])
    sx = _scale([float(n.get("x", 0.0)) for n in nodes], MAP_WIDTH)
    sy = _scale([float(n.get("y", 0.0)) for n in nodes], MAP_HEIGHT)
    where = {n["key"]: (sx(float(n.get("x", 0.0))), sy(float(n.get("y", 0.0)))) for n in nodes}
    counts = [int(n.get("documents", 0)) for n in nodes]
    low, high = min(counts, default=0), max(counts, default=0)

    def radius(node) -> float:
        # Square-root scale over the map's range of documents; all alike, a middle size.
        if high <= low:
            return _R_SAME
        return _R_MIN + (_R_MAX - _R_MIN) * math.sqrt((int(node.get("documents", 0)) - low) / (high - low))

    parts = [f'<svg class="keymap" id="keymap-svg" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" '
             f'role="img" aria-label="Keyword map: {len(nodes)} concepts" xmlns="http://www.w3.org/2000/svg">']
    edges = [e for e in view.get("edges") or [] if e["source"] in where and e["target"] in where]
    edges.sort(key=lambda e: (-float(e.get("strength", 0.0)), e["source"], e["target"]))
    edges = edges[:MAP_EDGES]
    strongest = max((float(e.get("strength", 0.0)) for e in edges), default=1.0) or 1.0
    parts.append('<g class="edges">')
    # The weakest first, so the strongest are drawn on top.
    for edge in reversed(edges):
        (x1, y1), (x2, y2) = where[edge["source"]], where[edge["target"]]
        opacity = 0.08 + 0.5 * float(edge.get("strength", 0.0)) / strongest
        parts.append(f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" '
                     f'stroke-opacity="{opacity:.2f}"/>')
    parts.append("</g>")
    # The biggest nodes last, so that small ones are not hidden under them.
    drawn = sorted(nodes, key=lambda n: (int(n.get("documents", 0)), n["key"]))
    parts.append('<g class="nodes">')
    for node in drawn:
        x, y = where[node["key"]]
        documents = int(node.get("documents", 0))
        doc_ids = " ".join(node.get("doc_ids") or [])
        tip = f'{node["label"]} — {_plural(documents, "document")}, cluster {node.get("cluster")}'
        parts.append(f'<g class="node" tabindex="0" role="button" data-key="{_e(node["key"])}" '
                     f'data-label="{_e(node["label"])}" data-docs="{_e(doc_ids)}">'
                     f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{radius(node):.1f}" '
                     f'fill="{cluster_colour(node.get("cluster"))}"/><title>{_e(tip)}</title></g>')
    parts.append("</g>")
    parts.append('<g class="labels">')
    for node, x, y in _labels(nodes, where, radius):
        parts.append(f'<text x="{_f(x)}" y="{_f(y)}">{_e(node["label"])}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


def _filter_bar() -> str:
    """Where the page's script says which concept the documents are filtered to."""
    return ('<p class="map-filter" hidden><span class="map-filter-text"></span> — '
            '<a href="#keymap" class="map-reset">show all</a></p>')


def documents_filter_bar() -> str:
    """The filter bar at the head of the documents list (the same as the map's)."""
    return _filter_bar()


def keyword_map_html(keymap: dict | None) -> str:
    """The page's "Keyword map" section from the ``map`` artifact (its ``views``; None
    when there is none)."""
    parts = ['<section id="keymap"><h2>Keyword map</h2>']
    view = ((keymap or {}).get("views") or {}).get(VIEW)
    if keymap is None or view is None:
        parts.append('<p class="none">No keyword map: the map step has not written one.</p></section>')
        return "\n".join(parts)
    nodes = view.get("nodes") or []
    if not nodes:
        parts.append('<p class="none">No keyword map: no concept is held by enough documents.</p></section>')
        return "\n".join(parts)
    edges = view.get("edges") or []
    clusters = sorted({n.get("cluster") for n in nodes}, key=lambda c: (str(type(c)), c))
    shown_edges = min(len(edges), MAP_EDGES)
    edges_note = (_plural(len(edges), "link") if shown_edges == len(edges)
                  else f"the {shown_edges} strongest of {len(edges)} links")
    parts.append(f'<p class="note">The concepts of both languages (one node per glossary concept) and the '
                 f'documents they share: {_plural(len(nodes), "concept")}, {edges_note}, '
                 f'{_plural(len(clusters), "cluster")} (colours). A node\'s size grows with its documents; '
                 f'the biggest are labelled (up to {MAP_LABELS}, where they do not overlap), hover over the '
                 'others. '
                 'Click a node to list only its documents below.</p>')
    parts.append(_filter_bar())
    parts.append('<div class="keymap-wrap">' + keyword_map_svg(view) + "</div>")
    legend = "".join(f'<span class="swatch" style="background:{cluster_colour(c)}"></span>cluster {_e(c)} '
                     for c in clusters[:len(PALETTE)])
    if len(clusters) > len(PALETTE):
        legend += f'<span class="more">(colours repeat: {len(clusters)} clusters)</span>'
    parts.append(f'<p class="legend">{legend}</p></section>')
    return "\n".join(parts)


# -- related documents --------------------------------------------------------------------

def related_html(entries: list[dict] | None, title: Callable[[str], str]) -> str:
    """``<p class="related"><b>Related:</b> …</p>``: links to a document's most related
    documents (up to :data:`RELATED_SHOWN`, as the ``related`` artifact ranks them), with
    their titles (``title`` gives one escaped for HTML) and the concepts they share;
    ``""`` when there are none."""
    if not entries:
        return ""
    links = []
    for entry in entries[:RELATED_SHOWN]:
        doc_id = entry["doc_id"]
        shared = entry.get("shared") or []
        tip = f'score {float(entry.get("score", 0.0)):.2f}' + (f'; shares: {", ".join(shared)}' if shared else "")
        links.append(f'<a href="#doc-{_e(doc_id)}" class="related-doc" data-doc="{_e(doc_id)}" '
                     f'title="{_e(tip)}">{title(doc_id)}</a>')
    return '<p class="related"><b>Related:</b> ' + "; ".join(links) + "</p>"


# -- trends -------------------------------------------------------------------------------

_BAR_W, _BAR_GAP, _CHART_H = 10, 2, 44


def _year_chart(years: list[str], by_year: dict) -> str:
    """A tiny bar chart of documents per year (every year of the corpus, in order)."""
    top = max((int(by_year.get(y, 0)) for y in years), default=0) or 1
    width = max(len(years), 1) * (_BAR_W + _BAR_GAP)
    bars = []
    for i, year in enumerate(years):
        n = int(by_year.get(year, 0))
        h = round((_CHART_H - 2) * n / top, 1)
        bars.append(f'<rect x="{i * (_BAR_W + _BAR_GAP)}" y="{_f(_CHART_H - h)}" width="{_BAR_W}" '
                    f'height="{_f(max(h, 0.0))}"><title>{_e(year)}: {n}</title></rect>')
    return (f'<svg class="spark" width="{width}" height="{_CHART_H}" viewBox="0 0 {width} {_CHART_H}" '
            f'xmlns="http://www.w3.org/2000/svg">' + "".join(bars) + "</svg>")


def trends_html(trends: dict | None) -> str:
    """The page's "Trends" section from the ``trends`` artifact (its ``views``; None when
    there is none)."""
    parts = ['<section id="trends"><h2>Trends</h2>']
    view = ((trends or {}).get("views") or {}).get(VIEW)
    if trends is None or view is None:
        parts.append('<p class="none">No trends: the trends step has not written them.</p></section>')
        return "\n".join(parts)
    years = sorted((view.get("years") or {}), key=lambda y: (len(str(y)), str(y)))
    undated = int(view.get("undated", 0))
    if not years:
        parts.append(f'<p class="none">No document has a year ({_plural(undated, "undated document")}), so '
                     'nothing can rise or fall: give documents a year with <code>add --year</code> (or '
                     '<code>--year-field</code> for a bulk file), or let ingest find it in a journal issue '
                     'line (<code>Vol. 5 No. 2, 2019</code>).</p></section>')
        return "\n".join(parts)
    per_year = ", ".join(f"{_e(y)}: {view['years'][y]}" for y in years)
    undated_note = f"; {_plural(undated, 'document')} without a year" if undated else ""
    moving = [c for c in view.get("concepts") or [] if c.get("trend") in ("rising", "falling")]
    parts.append(f'<p class="note">Documents per year: {per_year}{undated_note}.</p>')
    if not moving:
        parts.append('<p class="none">No concept rises or falls significantly (Cochran–Armitage test).</p>'
                     '</section>')
        return "\n".join(parts)
    shown = moving[:TRENDS_SHOWN]
    more = f" (the first {len(shown)} of {len(moving)})" if len(shown) < len(moving) else ""
    parts.append(f'<p class="note">Concepts that rise or fall over the years{more}: documents holding each, '
                 'per year (Cochran–Armitage test for trend).</p><div class="multiples">')
    for concept in shown:
        trend = concept["trend"]
        arrow = "▲" if trend == "rising" else "▼"
        since = f' since {_e(concept["since"])}' if concept.get("since") else ""
        parts.append(f'<figure class="trend {trend}"><figcaption><b>{_e(concept["label"])}</b> '
                     f'<span class="dir">{arrow} {trend}{since}</span> '
                     f'<span class="z">z = {float(concept.get("z", 0.0)):.2f}</span></figcaption>'
                     f'{_year_chart(years, concept.get("by_year") or {})}'
                     f'<div class="axis">{_e(years[0])}–{_e(years[-1])}</div></figure>')
    parts.append("</div></section>")
    return "\n".join(parts)
