"""``rendered.comparable``: two sources that a reader sees the same way are the same sentence."""

from __future__ import annotations

import pytest

from bitext.core.rendered import comparable


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (r"\*\*\*\*Recommendation\*\*\*\*", "****Recommendation****"),
        (r"Any sender (\*) is allowed.", "Any sender (*) is allowed."),
        ("Security &amp; Compliance", "Security & Compliance"),
        ("Two  spaces\nand a line", "Two spaces and a line"),
        ("Select **Save**.", "Select __Save__."),
        ("Run `a*b` now", "Run `a*b`  now"),
        ("See [the guide](a.md).", "See [the guide](a.md)."),
    ],
)
def test_rendered_identical_sources_compare_equal(a: str, b: str):
    assert comparable(a) == comparable(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("See [the guide](a.md).", "See [the guide](b.md)."),
        ("Run `Get-Mailbox` now", "Run Get-Mailbox now"),
        ("Open my_file today", "Open myfile today"),
        ("Select **Save**.", "Select **Cancel**."),
        ("a<br/>b", "a b"),
    ],
)
def test_what_a_reader_sees_differently_stays_different(a: str, b: str):
    assert comparable(a) != comparable(b)
