"""Small-number suppression for published tables. Plain Python: no Django, so it is easy to test.

The rule, as stated on every report (RULE_TEXT):
- A count from 1 to 4 is shown as "fewer than 5" (primary suppression). A zero is shown as 0.
- Secondary suppression: a table is read as lines (each row with its row total, each column with its
  column total). If a line has exactly one hidden number in it, that number could be worked out by
  subtracting the others from the total, so the smallest other non-zero number in that line is
  hidden too. This repeats until no line has exactly one hidden number.

Totals are treated like any other number: a total of 1 to 4 is hidden, and a total may be hidden
as the second number in its line. Limits, stated honestly: this guards against working out a number
from one row or one column by subtraction. It does not solve the whole table as a system of
equations (an attacker combining several rows and columns at once); tables here are small and
aggregate-only, which is the usual standard for published statistics of this kind.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"

RULE_TEXT = (
    f"Numbers from 1 to {THRESHOLD - 1} are shown as \u201c{FEWER_THAN}\u201d so that no child can be "
    "identified. A zero is shown as 0. Where a row or column would otherwise have only one hidden number "
    "(so that it could be worked out by subtracting the others from the total), the next smallest number "
    "in that row or column is hidden as well, and this is repeated until no hidden number can be worked "
    "out that way. Totals are counted from all the records and are hidden by the same rule."
)


def is_small(value: int) -> bool:
    """Primary suppression: 1 to THRESHOLD - 1. Zero is not suppressed."""
    return 0 < value < THRESHOLD


@dataclass
class Cell:
    value: int
    suppressed: bool = False
    secondary: bool = False  # hidden only to protect another hidden number

    @property
    def display(self) -> str:
        if self.suppressed:
            return FEWER_THAN if is_small(self.value) else "[hidden]"
        return f"{self.value:,}"

    @property
    def public(self) -> int | None:
        """The value as published: None when hidden."""
        return None if self.suppressed else self.value


@dataclass
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell] | None = None
    col_totals: list[Cell] | None = None
    grand_total: Cell | None = None
    lines: list[list[Cell]] = field(default_factory=list, repr=False)

    @property
    def any_suppressed(self) -> bool:
        everything = [c for row in self.cells for c in row]
        everything += (self.row_totals or []) + (self.col_totals or [])
        everything += [self.grand_total] if self.grand_total else []
        return any(c.suppressed for c in everything)


def _lines(cells, row_totals, col_totals, grand_total) -> list[list[Cell]]:
    """Each additive line: a row and its total, a column and its total (the totals row and totals
    column are lines too, ending in the grand total)."""
    lines = []
    if row_totals is not None:
        for row, total in zip(cells, row_totals, strict=True):
            lines.append([*row, total])
        if col_totals is not None:
            lines.append([*col_totals, grand_total])
    if col_totals is not None:
        n_cols = len(col_totals)
        for j in range(n_cols):
            lines.append([row[j] for row in cells] + [col_totals[j]])
        if row_totals is not None:
            lines.append([*row_totals, grand_total])
    return lines


def suppress(values: Sequence[Sequence[int]], *, row_totals: bool = True, col_totals: bool = True) -> SuppressedTable:
    """Apply primary and secondary suppression to a table of counts (rows of columns).

    Totals are computed here, from the true values, so they always add up before suppression.
    """
    cells = [[Cell(int(v)) for v in row] for row in values]
    if any(c.value < 0 for row in cells for c in row):
        raise ValueError("Counts cannot be negative.")
    n_cols = len(cells[0]) if cells else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("Every row needs the same number of columns.")
    rts = [Cell(sum(c.value for c in row)) for row in cells] if row_totals else None
    cts = [Cell(sum(row[j].value for row in cells)) for j in range(n_cols)] if col_totals else None
    grand = Cell(sum(c.value for row in cells for c in row)) if (row_totals and col_totals) else None
    everything = [c for row in cells for c in row] + (rts or []) + (cts or []) + ([grand] if grand else [])
    for cell in everything:
        cell.suppressed = is_small(cell.value)
    lines = _lines(cells, rts, cts, grand)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [c for c in line if c.suppressed]
            if len(hidden) != 1:
                continue
            candidates = [c for c in line if not c.suppressed and c.value > 0]
            # Prefer a body cell over the total (the total is the line's last entry), smallest first.
            total = line[-1]
            body = [c for c in candidates if c is not total]
            pick = min(body or candidates, key=lambda c: c.value, default=None)
            if pick is None:  # only zeros left: the one hidden number is the total minus zeros - impossible
                raise AssertionError("A line with one hidden non-zero number always has a non-zero total.")
            pick.suppressed = True
            pick.secondary = True
            changed = True
    return SuppressedTable(cells=cells, row_totals=rts, col_totals=cts, grand_total=grand, lines=lines)


def derivable(table: SuppressedTable) -> list[Cell]:
    """Hidden numbers that one line's subtraction would reveal (should always be empty)."""
    found = []
    for line in table.lines:
        hidden = [c for c in line if c.suppressed]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


def suppress_list(values: Sequence[int], *, total: bool = True) -> SuppressedTable:
    """A one-column table (a list of counts), with its total below if `total`."""
    return suppress([[v] for v in values], row_totals=False, col_totals=total)
