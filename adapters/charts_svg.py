"""What the dashboard's charts (adapters/web/charts.py) and the report's
(adapters/reports/charts.py) share: matplotlib, without a display, into SVG.

Text stays text in the SVG (`svg.fonttype: none`), so a screen reader and a search
find it and it shows in the reader's own fonts; a fixed hash salt and no date make
the same chart the same bytes. Each module builds its own figures inside
`svg_drawing()` and turns them into an `<svg role="img">` with `svg_of`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before anything draws

from matplotlib import rc_context
from matplotlib.figure import Figure

# Okabe and Ito's palette: told apart with the common kinds of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
BLUE, ORANGE = PALETTE[0], PALETTE[1]
STYLE: dict[Any, Any] = {  # Any: matplotlib types its keys as a Literal of every setting
    "svg.fonttype": "none",  # text stays text: smaller, and in the reader's own fonts
    "svg.hashsalt": "coalition-bot",  # the same data draws the same bytes
    # Measured with DejaVu Sans, which ships with matplotlib (nothing is fetched); a
    # reader without it sees their own sans-serif.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
}
# matplotlib's settings and its font and text caches are global to the process: one
# drawing at a time, whichever page or report asks (both draw in worker threads).
_DRAWING = threading.Lock()


@contextmanager
def svg_drawing() -> Iterator[None]:
    """Hold the one drawing lock, in the charts' style: build figures and `svg_of` them here."""
    with _DRAWING, rc_context(STYLE):
        yield


def plain_text_for_matplotlib(text: str) -> str:
    """A user's text drawn as it is: in matplotlib a pair of '$' starts mathematics.

    Only '$' is escaped: outside mathematics a backslash is drawn as it is.
    """
    return text.replace("$", r"\$")


def svg_of(figure: Figure, labelled_by: str, first: str = "") -> str:
    """The figure as an `<svg role="img">` element labelled by the ids in `labelled_by`,
    with `first` (markup, already escaped) as its first child. Call inside `svg_drawing()`."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    # The XML prolog and DOCTYPE are left out: an image inside a page needs neither.
    opening = svg.index("<svg ")
    end = svg.index(">", opening) + 1
    head = svg[opening:end].replace("<svg ", f'<svg role="img" aria-labelledby="{labelled_by}" ', 1)
    return head + first + svg[end:]
