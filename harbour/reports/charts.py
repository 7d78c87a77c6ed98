"""Server-rendered SVG charts: no JavaScript, no inline style (CSP), every one followed by its table.

Each chart is drawn from a figure table *after* suppression: a hidden number draws no bar (a bar's
length would give the number away) and is labelled "hidden", and a share (a percentage) is drawn only
when both numbers it comes from are shown. The SVG is hidden from screen readers; the table after it
holds the same figures.
"""

from dataclasses import dataclass, field

from . import constants
from .figures import Table

LABEL_WIDTH = 190
PLOT_WIDTH = 360
NOTE_WIDTH = 110
BAR_HEIGHT = 22
GAP = 8
COLUMN_PLOT_HEIGHT = 180


@dataclass
class Bar:
    label: str
    note: str
    x: int
    y: int
    width: int
    height: int
    text_x: int
    text_y: int
    label_x: int = 0
    label_y: int = 0
    drawn: bool = True
    full: str = ""  # the label in full, for the table (a column's label is shortened)


@dataclass
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str
    label_x: int
    label_y: int


@dataclass
class Chart:
    key: str
    kind: str  # "bars" (horizontal) or "columns" (vertical, over time)
    title: str
    caption: str
    table: Table
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    target: Line | None = None
    axis_y: int = 0
    plot_x: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH


def _hbars(key, title, caption, table, items, *, scale_max, percent=False, target=None) -> Chart:
    """Horizontal bars: items are (label, value or None, note)."""
    bars = []
    for i, (label, value, note) in enumerate(items):
        y = i * (BAR_HEIGHT + GAP)
        width = round(PLOT_WIDTH * value / scale_max) if value is not None and scale_max else 0
        bars.append(
            Bar(
                label=label,
                note=note,
                x=LABEL_WIDTH,
                y=y,
                width=width,
                height=BAR_HEIGHT,
                text_x=LABEL_WIDTH + width + 4,
                text_y=y + 15,
                label_x=0,
                label_y=y + 15,
                drawn=value is not None,
                full=label,
            )
        )
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + (20 if target is not None else 0)
    chart = Chart(key, "bars", title, caption, table, LABEL_WIDTH + PLOT_WIDTH + NOTE_WIDTH, height, bars)
    if target is not None:
        x = LABEL_WIDTH + round(PLOT_WIDTH * target / scale_max)
        bottom = len(bars) * (BAR_HEIGHT + GAP)
        label = f"Target {target}%" if percent else f"Target {target}"
        chart.target = Line(x, 0, x, bottom, label, min(x, LABEL_WIDTH + PLOT_WIDTH - 70), bottom + 15)
    return chart


def compliance_bars(table: Table) -> Chart:
    """Share held within 72 hours, per month due, against the target."""
    items = []
    for _, label, cells, total in table.lines():
        in_time = cells[0][1]
        if total is not None and (total.suppressed or any(c.suppressed for _, c, _ in cells)):
            items.append((label, None, "hidden: small numbers"))
        elif total is None or not total.value:
            items.append((label, None, "none due"))
        else:
            share = round(100 * in_time.value / total.value)
            items.append((label, share, f"{share}%"))
    return _hbars(
        "rhi_compliance",
        "Return home interviews held within 72 hours",
        f"Share held within 72 hours of the return, by month due. Target: {constants.RHI_TARGET_PERCENT}% "
        "(every child).",
        table,
        items,
        scale_max=100,
        percent=True,
        target=constants.RHI_TARGET_PERCENT,
    )


def _count_of(cells, total, col_key):
    """The cell shown for a column (or the row total when col_key is None)."""
    if col_key is None:
        return total if total is not None else cells[0][1]
    return next(c for k, c, _ in cells if k == col_key)


def breakdown_bars(table: Table, *, title: str, caption: str, col_key: str | None = None) -> Chart:
    """One bar per row of a table: its total, or one column."""
    items = []
    for _, label, cells, total in table.lines():
        cell = _count_of(cells, total, col_key)
        if cell.suppressed:
            items.append((label, None, "hidden: small numbers"))
        else:
            items.append((label, cell.value, cell.display))
    scale = max([v for _, v, _ in items if v is not None] or [0]) or 1
    return _hbars(table.key, title, caption, table, items, scale_max=scale)


def trend_columns(table: Table, *, title: str, caption: str, col_key: str | None = None) -> Chart:
    """Vertical columns over time (one per row of a by-month table): its total, or one column."""
    items = []
    for _, label, cells, total in table.lines():
        cell = _count_of(cells, total, col_key)
        value = None if cell.suppressed else cell.value
        items.append((label, value, "hidden" if cell.suppressed else cell.display))
    scale = max([v for _, v, _ in items if v is not None] or [0]) or 1
    slot = 46
    bars = []
    for i, (label, value, note) in enumerate(items):
        h = round(COLUMN_PLOT_HEIGHT * value / scale) if value is not None else 0
        x = 10 + i * slot
        y = 20 + COLUMN_PLOT_HEIGHT - h
        short = label.split(" ")[0][:3] + " " + label.split(" ")[-1][-2:] if " " in label else label
        bars.append(
            Bar(
                label=short,
                note=note,
                x=x,
                y=y,
                width=slot - 12,
                height=h,
                text_x=x,
                text_y=y - 4,
                label_x=x,
                label_y=20 + COLUMN_PLOT_HEIGHT + 16,
                drawn=value is not None,
                full=label,
            )
        )
    width = max(20 + len(items) * slot, 200)
    chart = Chart(table.key, "columns", title, caption, table, width, 20 + COLUMN_PLOT_HEIGHT + 26, bars)
    chart.axis_y = 20 + COLUMN_PLOT_HEIGHT
    return chart
