"""A PNG larger than Graphviz's bitmap limit is shrunk by Graphviz: the user is told."""

from __future__ import annotations

from archlint.render import render_bytes
from archlint.render.run_dot import BITMAP_LIMIT
from archlint.render.svg_embed import png_size
from archlint.specs import load_text


def long_chain(count: int) -> str:
    """A spec whose diagram is `count` functions wide, each invoking the next."""
    resources = "".join(f"  fn{index}:\n    type: lambda.function\n" for index in range(count))
    chain = " -> ".join(f"fn{index}" for index in range(count))
    return f"archlint: 1\nname: chain\nresources:\n{resources}flows:\n  - {chain}\n"


def test_a_too_wide_png_is_shrunk_by_graphviz_and_we_warn():
    rendered = render_bytes(load_text(long_chain(200), "chain.yaml"), "png")
    width, _ = png_size(rendered.data)
    assert width == BITMAP_LIMIT  # Graphviz scaled it down to its limit
    shrunk = [warning for warning in rendered.warnings if "bitmap limit" in warning]
    assert len(shrunk) == 1 and ".svg" in shrunk[0] and "--focus" in shrunk[0]
    # one chain cannot be folded into columns: that is said too
    assert any("could not be folded" in warning for warning in rendered.warnings)


def test_a_png_within_the_limit_comes_without_warning():
    rendered = render_bytes(load_text(long_chain(5), "chain.yaml"), "png")
    assert png_size(rendered.data)[0] < BITMAP_LIMIT
    assert rendered.warnings == []


def test_svg_of_the_same_graph_is_not_shrunk():
    warnings = render_bytes(load_text(long_chain(200), "chain.yaml"), "svg").warnings
    assert not any("bitmap limit" in warning for warning in warnings)
