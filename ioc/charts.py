"""Server-rendered SVG bar charts: no JavaScript, no CDN, readable when printed.

Each chart's title, axes and legend are HTML text beside the drawing (`Chart`), so they
wrap on a phone, are found by the page's search and read by screen readers; the SVG keeps
only the bars, their labels and values.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Chart:
    """One chart: its title and axes as text, the drawing, and the legend if stacked."""

    title: str
    categories: str  # what each bar is (the vertical axis: months, units, channels...)
    values: str  # what a bar's length measures (the horizontal axis, with its unit)
    svg: SafeString
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, colour)
    # The numbers drawn, as a table beside the drawing: its column headings (the first names
    # the categories) and one row of formatted cells per bar.
    headings: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    note: str = ""  # e.g. the target line's meaning

    @property
    def labelled(self) -> list[list[tuple[str, str]]]:
        """The table's rows with each cell's heading, for the phone layout's labels."""
        return [list(zip(self.headings, row, strict=True)) for row in self.table]


ROW = 26
LABEL_W = 190
BAR_W = 360
VALUE_W = 90


def _label(y: int, text: str) -> str:
    return (
        f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end" fill="#1b1f24">'
        f"{escape(text)}</text>"
    )


def _fmt(value: Decimal | float | int, unit: str) -> str:
    if unit == "%":
        return f"{float(value):.2f}".replace(".", ",") + "%"
    return f"{int(value):,}".replace(",", ".")


def bars(
    title: str,
    items: Sequence[tuple[str, Decimal | float | int | None]],
    *,
    categories: str,
    values_axis: str,
    unit: str = "%",
    maximum: float | None = None,
    target: float | None = None,
    target_label: str = "",
) -> Chart:
    """Draw horizontal bars, one per (label, value); a None value is drawn as "—".

    With `target`, a dashed vertical line marks it and each row of the table says whether the
    bar reaches it (`target_label` names it in the note and the table's heading).
    """
    values = [float(v) for _, v in items if v is not None]
    top = maximum if maximum is not None else (max(values) if values else 1.0) or 1.0
    height = ROW * len(items) + 10
    width = LABEL_W + BAR_W + VALUE_W
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" class="chart" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * ROW
        text = label if len(label) <= 28 else label[:27] + "…"
        parts.append(_label(y, text))
        parts.append(
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{BAR_W}" height="18" fill="#eef1f4"/>'
        )
        if value is not None:
            w = max(0.0, min(1.0, float(value) / top)) * BAR_W
            parts.append(
                f'<rect x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="18" fill="#a3141c"/>'
            )
        shown = _fmt(value, unit) if value is not None else "—"
        parts.append(f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 17}" fill="#1b1f24">{shown}</text>')
    headings = [categories, values_axis]
    table = [[label, _fmt(v, unit) if v is not None else "—"] for label, v in items]
    note = ""
    if target is not None:
        x = LABEL_W + max(0.0, min(1.0, target / top)) * BAR_W
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#1b1f24" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        note = f"{target_label}: {_fmt(target, unit)}"
        headings.append(target_label)
        for row, (_label_text, v) in zip(table, items, strict=True):
            row.append("—" if v is None else (_("reached") if v >= target else _("not reached")))
    parts.append("</svg>")
    svg = mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
    return Chart(
        title=title,
        categories=categories,
        values=values_axis,
        svg=svg,
        headings=[str(h) for h in headings],
        table=table,
        note=note,
    )


def stacked(
    title: str,
    items: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
    *,
    categories: str,
    values_axis: str,
) -> Chart:
    """Draw horizontal stacked bars of counts; `series` is (name, colour) per stack part, shown
    as the chart's legend in HTML."""
    top = max((sum(parts) for _, parts in items), default=1) or 1
    height = ROW * len(items) + 10
    width = LABEL_W + BAR_W + VALUE_W
    out = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" class="chart" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, parts) in enumerate(items):
        y = 5 + i * ROW
        out.append(_label(y, label))
        x = float(LABEL_W)
        for (_name, colour), count in zip(series, parts, strict=True):
            w = count / top * BAR_W
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="18" fill="{colour}"/>'
            )
            x += w
        total = sum(parts)
        out.append(
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 17}" fill="#1b1f24">{_fmt(total, "")}</text>'
        )
    out.append("</svg>")
    svg = mark_safe("".join(out))  # noqa: S308 - every text is escaped above
    return Chart(
        title=title,
        categories=categories,
        values=values_axis,
        svg=svg,
        legend=list(series),
        headings=[str(categories), *(name for name, _colour in series), str(_("Total"))],
        table=[
            [label, *(_fmt(n, "") for n in parts), _fmt(sum(parts), "")] for label, parts in items
        ],
    )
