"""Matplotlib set-up shared by the release page's charts: one look, distinct colours,
integer count axes, and PNG bytes that depend only on the data."""

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

# Okabe-Ito's eight colours, told apart with any colour vision, then two more from tab10.
DISTINCT = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#8C564B", "#7F7F7F")


def figure(size: tuple[float, float], label: str, **subplots):
    """A figure and its axes; `label` becomes the image's alt text."""
    return plt.subplots(figsize=size, label=label, **subplots)


def sequential(count: int) -> list[str]:
    """`count` shades from light to dark, for classes of a count."""
    cmap = matplotlib.colormaps["YlGnBu"]
    return [matplotlib.colors.to_hex(cmap(0.15 + 0.85 * i / max(1, count - 1))) for i in range(count)]


def lines(ax, wide, step: bool = True) -> None:
    """One line per column of `wide` (index: year), each its own colour, with a legend."""
    for colour, column in zip(DISTINCT, wide.columns):
        values = wide[column]
        if step:
            ax.step(wide.index, values, where="post", label=column, color=colour, linewidth=1.6)
        else:
            ax.plot(wide.index, values, marker="o", label=column, color=colour)
    if len(wide.columns):
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)  # beside the plot, over no line


def integer_axes(*axes, x: bool = False) -> None:
    for axis in axes:
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        if x:
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))


def png(fig) -> str:
    """A figure as an <img> with its PNG inline; no timestamps, so the same data gives the same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img class="chart" alt="{html.escape(fig.get_label())}" src="data:image/png;base64,{data}">'
