"""A line chart of a figure over time, as geometry for an inline SVG: no script, no library.

Time runs right to left in Persian (the reading direction), left to right in English. The
target, when there is one, is drawn as the straight path from its baseline to its value on
its date: the same path rules.progress measures against.
"""

from dataclasses import dataclass, field

from bazaar.i18n import local_date

WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28  # margins (mirrored in RTL: the scale on the right)


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    line: str = ""
    dots: list = field(default_factory=list)  # (x, y, value, snapshot_id)
    target: tuple = None  # (x1, y1, x2, y2) of the path to the target
    ticks: list = field(default_factory=list)  # (y, value) on the scale
    axis_x: float = 0
    first: object = None  # (x, day) of the earliest day drawn
    last: object = None  # (x, day) of the latest day drawn


def _scale(low, high, size, start, reverse):
    span = (high - low) or 1

    def at(value):
        offset = (value - low) / span * size
        return round(start + (size - offset if reverse else offset), 1)

    return at


def line_chart(points, target=None, rtl=True):
    """Lay out the points (snapshots, oldest first) and the target's path (a Target or None)."""
    days = [local_date(p.at) for p in points]
    values = [p.value for p in points]
    if target is not None:
        days += [target.baseline_on, target.due_on]
        values += [target.baseline_value, target.value]
    chart = Chart()
    if not days:
        return chart
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    origin = RIGHT if rtl else LEFT
    x_of = _scale(min(days).toordinal(), max(days).toordinal(), plot_w, origin, rtl)
    top = max(max(values), 1)
    y_of = _scale(0, top, plot_h, TOP, True)
    xy = [(x_of(d.toordinal()), y_of(v)) for d, v in zip(days, values, strict=False)]
    dots = xy[: len(points)]
    # A line needs two snapshots; a single one is its dot (and the table's row).
    chart.line = len(dots) > 1 and " ".join(
        f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(dots)
    )
    chart.dots = [(x, y, p.value, p.snapshot_id) for (x, y), p in zip(dots, points, strict=True)]
    if target is not None:
        chart.target = (*xy[-2], *xy[-1])
    chart.ticks = [(y_of(0), 0), (y_of(top), top)]
    chart.axis_x = (WIDTH - LEFT + 4) if rtl else (LEFT - 4)
    chart.first = (x_of(min(days).toordinal()), min(days))
    chart.last = (x_of(max(days).toordinal()), max(days))
    return chart
