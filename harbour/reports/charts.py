"""A server-rendered SVG bar chart: no JavaScript, no inline style (CSP), a table beside it."""

from dataclasses import dataclass

from .figures import Table


@dataclass
class Bar:
    label: str
    share: int | None  # percent, None when hidden by suppression or nothing was due
    y: int
    width: int
    note: str


def compliance_bars(table: Table, *, width: int = 400, bar_height: int = 22, gap: int = 8) -> dict:
    """Share held within 72 hours per month. A month whose counts are hidden gets no bar (a share
    of a small number would give the number away)."""
    bars = []
    for i, (_, label, cells, total) in enumerate(table.lines()):
        in_time = cells[0][1]
        hidden = total is not None and (total.suppressed or any(c.suppressed for _, c in cells))
        if hidden:
            share, note = None, "hidden: small numbers"
        elif not total.value:
            share, note = None, "none due"
        else:
            share = round(100 * in_time.value / total.value)
            note = f"{share}%"
        y = i * (bar_height + gap)
        bars.append(Bar(label, share, y, round(width * (share or 0) / 100), note))
    height = max(len(bars), 1) * (bar_height + gap)
    return {"bars": bars, "width": width, "height": height, "bar_height": bar_height, "label_width": 130}
