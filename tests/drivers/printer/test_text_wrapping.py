"""Wrapping by display width: a CJK character takes two columns, nothing spills off the paper."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.printer.textwidth import display_width, wrap


def test_cjk_counts_double():
    assert display_width("婚姻登记") == 8
    assert display_width("C023") == 4
    assert display_width("，。") == 4


@pytest.mark.parametrize("columns", [32, 48])
def test_material_line_fits_and_keeps_text(columns):
    text = "携带居民身份证原件及复印件，户口簿原件，结婚证原件。Please bring your ID card."
    lines = wrap(text, columns, indent=2)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")


def test_closing_punctuation_never_starts_a_line():
    lines = wrap("一二三四五六七八九十，后面", 20)
    assert not any(line.startswith("，") for line in lines)


@given(st.text(alphabet=st.sampled_from(list("ab 中文，。Z1")), max_size=120),
       st.sampled_from([32, 48]))
def test_wrapped_lines_never_exceed_the_width(text, columns):
    for line in wrap(text, columns, indent=4):
        assert display_width(line) <= columns


def test_checklist_parts_move_down_whole():
    from drivers.printer.render import wrap_parts

    lines = wrap_parts(["父母居民身份证", "原件2份", "复印件2份"], "  ", 32, "□ ")
    assert lines == ["□ 父母居民身份证  原件2份", "   复印件2份"]  # □ is 2 columns
    english = wrap_parts(["Parents' resident ID cards", "originals: 2", "copies: 2"], ", ", 32,
                         "□ ")
    assert english == ["□ Parents' resident ID cards,", "   originals: 2, copies: 2"]
    assert all(display_width(line) <= 32 for line in lines)


@given(st.lists(st.text(alphabet=st.sampled_from(list("ab 中文，Z1")), min_size=1, max_size=40),
                max_size=6), st.sampled_from([32, 48]))
def test_checklist_lines_never_exceed_the_width(parts, columns):
    from drivers.printer.render import wrap_parts

    for line in wrap_parts(parts, ", ", columns, "□ "):
        assert display_width(line) <= columns
