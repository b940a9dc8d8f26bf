"""The report's charts are inlined as markup (report_charts._svg, bandit B704 marked nosec): this
is the evidence that vl-convert escapes data-derived labels, so a hostile conversation id or
label becomes text, never an element, an event handler or a link."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from markupsafe import Markup

from accord.analysis.report_charts import counts_bar, heat_lines

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</svg><iframe src=javascript:alert(1)>",
    "]]><!-- &amp; <foreignObject>",
]
SVG = "{http://www.w3.org/2000/svg}"
ALLOWED_TAGS = {"svg", "g", "path", "rect", "text", "title", "desc", "line", "circle", "tspan"}


def _charts() -> list[Markup]:
    bar = counts_bar(Counter(dict.fromkeys(HOSTILE, 2)), title=HOSTILE[0])
    lines = heat_lines({label: [10.0, 60.0] for label in HOSTILE})
    assert bar is not None and lines is not None
    return [bar, lines]


@pytest.mark.parametrize("chart", range(2))
def test_hostile_labels_are_text_in_the_svg(chart: int) -> None:
    svg = str(_charts()[chart])
    root = ET.fromstring(svg)  # noqa: S314 (our own renderer's output, in a test)
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    attributes = {name.lower() for el in root.iter() for name in el.attrib}
    assert not any(name.startswith("on") for name in attributes)
    assert not any("href" in name for name in attributes)
    texts = " ".join(t for el in root.iter() for t in (el.text, el.get("aria-label")) if t)
    assert any(label in texts for label in HOSTILE)  # shown, as text
