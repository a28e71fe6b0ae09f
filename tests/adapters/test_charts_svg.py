"""The SVG machinery the dashboard's and the report's charts share (adapters/charts_svg.py):
members' text drawn as typed, an accessible image with no XML prolog, the same bytes
for the same chart."""

from __future__ import annotations

from matplotlib.figure import Figure

from adapters.charts_svg import plain_text_for_matplotlib, svg_drawing, svg_of
from adapters.web.charts import Shown, draw

TYPED = r"Fund $5 and $10 \ C:\temp $x^2$"


def _labelled(text: str) -> str:
    with svg_drawing():
        figure = Figure(figsize=(4, 2))
        figure.add_subplot().set_xlabel(text)
        return svg_of(figure, "cap", "<title>T</title>")


def test_a_members_text_is_drawn_as_typed_not_as_mathematics() -> None:
    assert f">{TYPED}</text>" in _labelled(plain_text_for_matplotlib(TYPED))
    # Unescaped, matplotlib would have drawn "$5 and $" as mathematics.
    assert f">{TYPED}</text>" not in _labelled(TYPED)


def test_the_svg_is_a_labelled_image_without_prolog_and_the_same_each_time() -> None:
    svg = _labelled("Participants")
    assert svg.startswith('<svg role="img" aria-labelledby="cap" ')
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    opening = svg[: svg.index(">") + 1]
    assert svg[len(opening) :].startswith("<title>T</title>")
    assert svg.rstrip().endswith("</svg>")
    assert _labelled("Participants") == svg


def test_the_dashboards_chart_draws_an_organization_name_as_typed() -> None:
    chart = Shown(
        "organizations",
        "Members by organization",
        "Organization",
        ("Members",),
        ("Health $5$ Dept",),
        ((3,),),
        across=True,
        stacked=False,
        empty=False,
    )
    assert ">Health $5$ Dept</text>" in draw(chart)
