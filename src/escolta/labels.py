"""Names a user chose, shown to people: escaped for Rich, shortened for plots.

A site, team or adversary name is free text. Printed through Rich it would be read as
markup (``[/bold]`` ends in ``MarkupError``, ``[link=...]`` makes a hyperlink), so every
name the command line prints goes through :func:`shown` (``escolta.cli.common.esc``), or the
whole line is printed with ``markup=False``. In a plot a 100-character name squeezes the
axes to nothing, so tick labels go through :func:`short_label`.

Examples
--------
>>> shown("[/bold] palace")
'\\\\[/bold] palace'
>>> short_label("x" * 50, 10)
'xxxxxxxxx…'
"""

from __future__ import annotations

from typing import Any

PLOT_LABEL_LENGTH = 32
"""Characters of a name shown on a plot axis; longer names end in an ellipsis."""


def shown(name: Any) -> str:
    """``name`` as text Rich prints verbatim (markup escaped)."""
    from rich.markup import escape  # Rich loads only when something is shown

    return escape(str(name))


def short_label(name: Any, width: int = PLOT_LABEL_LENGTH) -> str:
    """``name`` cut to ``width`` characters for a plot, the last one an ellipsis if cut."""
    text = str(name)
    return text if len(text) <= width else text[: width - 1] + "…"
