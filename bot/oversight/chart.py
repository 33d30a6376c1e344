"""/stats chart: daily requests and the median time to claim, as a PNG readable on a phone.

matplotlib is imported here only (it takes a moment to load) and draws with the Agg backend
on a Figure of its own, so nothing global is touched and it can run in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.oversight.stats import Day

WIDTH_INCHES, HEIGHT_INCHES, DPI = 7.0, 8.0, 150  # 1050 x 1200 px: a phone screen, upright


def render_png(days: Sequence[Day], title: str, requests_label: str,
               minutes_label: str) -> bytes:
    """Two panels sharing the date axis: requests opened per day (bars), and the median
    minutes to claim of each day's requests (points; days without a claim are left out)."""
    # Imported on first use: matplotlib costs about half a second and 30 MB at start.
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    dates = [row.day for row in days]
    top.bar(dates, [row.opened for row in days], color="#3b6ea5", width=0.8)
    top.set_ylabel(requests_label, fontsize=14)
    top.yaxis.get_major_locator().set_params(integer=True)
    claimed = [(row.day, row.median_minutes_to_claim) for row in days
               if row.median_minutes_to_claim is not None]
    bottom.plot([d for d, _ in claimed], [m for _, m in claimed], marker="o", markersize=6,
                linewidth=2, color="#c0504d")
    bottom.set_ylabel(minutes_label, fontsize=14)
    bottom.set_ylim(bottom=0)
    locator = AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    formatter = ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_formatter(formatter)
    for axes in (top, bottom):
        axes.tick_params(labelsize=12)
        axes.grid(axis="y", alpha=0.3)
    figure.suptitle(title, fontsize=16)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
