"""Suppression: primary (1-4 hidden, 0 shown) and secondary (no hidden number is one subtraction away)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from harbour.reports.suppression import FEWER_THAN, RULE_TEXT, derivable, suppress, suppress_list


def hidden(table):
    return [[c.suppressed for c in row] for row in table.cells]


def test_primary_small_numbers_hidden_zero_shown():
    t = suppress_list([0, 3, 12, 40], total=False)
    assert [row[0].display for row in t.cells] == ["0", FEWER_THAN, "12", "40"]


def test_list_with_total_hides_a_second_number():
    # 3 is hidden; with the total shown, 3 = 55 - 0 - 12 - 40, so the next smallest non-zero (12) goes too.
    t = suppress_list([0, 3, 12, 40])
    assert [row[0].suppressed for row in t.cells] == [False, True, True, False]
    assert t.cells[2][0].secondary and t.col_totals[0].display == "55"
    assert derivable(t) == []


def test_secondary_in_rows_and_columns_hand_worked():
    t = suppress([[2, 10, 20], [8, 9, 30], [15, 16, 17]])
    # Row 1: 2 hidden -> 10 hidden. Column 1: 2 hidden -> 8 hidden; column 2: 10 hidden -> 9 hidden.
    # Row 2 now has 8 and 9 hidden: stable. Row and column totals stay shown.
    assert hidden(t) == [[True, True, False], [True, True, False], [False, False, False]]
    assert [c.display for c in t.row_totals] == ["32", "47", "48"]
    assert derivable(t) == []


def test_small_total_hidden_and_protected():
    t = suppress([[1, 0], [0, 0]])
    assert t.cells[0][0].suppressed and t.row_totals[0].suppressed and t.col_totals[0].suppressed
    assert t.grand_total.suppressed
    assert not t.cells[0][1].suppressed  # zeros are shown
    assert derivable(t) == []


def test_no_suppression_needed():
    t = suppress([[10, 20], [30, 40]])
    assert not t.any_suppressed


def test_rule_is_stated():
    assert "fewer than 5" in RULE_TEXT and "next smallest" in RULE_TEXT


counts = st.integers(min_value=0, max_value=30)


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(1, 6))
    return [[draw(counts) for _ in range(cols)] for _ in range(rows)]


@settings(max_examples=300, deadline=None)
@given(tables(), st.booleans(), st.booleans())
def test_no_hidden_number_derivable_by_subtraction(values, row_totals, col_totals):
    t = suppress(values, row_totals=row_totals, col_totals=col_totals)
    # Every small non-zero count is hidden, every zero is shown.
    for row, vals in zip(t.cells, values, strict=True):
        for cell, v in zip(row, vals, strict=True):
            assert cell.value == v
            if 0 < v < 5:
                assert cell.suppressed
            if v == 0:
                assert not cell.suppressed
    # In every row and column (with its total), if anything is hidden, at least two things are:
    # the one subtraction a reader could do never isolates a hidden number.
    for line in t.lines:
        shown = [c for c in line if not c.suppressed]
        hidden_ = [c for c in line if c.suppressed]
        assert len(hidden_) != 1
        if hidden_:
            # What a reader can work out: total minus shown cells = the sum of at least two hidden numbers.
            assert len(hidden_) >= 2 and len(shown) + len(hidden_) == len(line)
    # The totals add up before suppression.
    if t.row_totals:
        assert [c.value for c in t.row_totals] == [sum(r) for r in values]
