"""The text of an order, with one recipient's symbols written into harmless variants.

Every night has the same :data:`SLOTS` (26 binary marks). Each mark chooses between two
wordings that mean the same (``Report`` / ``Present yourself``, ``19:00`` / ``1900 hrs``,
``2026-12-01`` / ``1 DEC 2026``, ``Ref.`` / ``Reference:``...), or the order of two lines
that may come in either order (``Team`` and ``Position``). A variant never changes what the
order means. Case and spacing carry nothing: a text retyped in other case or spacing reads
the same (:mod:`escolta.orders.read`).

What the order says comes only from the person's :class:`~escolta.orders.duty.Duty`, the
time to report (``orders.report_time`` in the scenario; ``orders.depart_time`` for the
convoy's driver) and the call sign, derived from the night's key, the team and the position
(:func:`call_sign`).

The convoy driver's order (docs/design.md §12) has the same marked lines as anyone's away
from the principal — the report line sends them to the convoy's vehicle instead of a post —
and, unmarked, the day's route: one line per road node with its coordinates, or a line
saying that the convoy does not move today. It carries :data:`MARKS_PER_ORDER` marks.

Examples
--------
>>> import datetime as dt
>>> duty = Duty(dt.date(2026, 12, 1), "ana", "inner", "lead", "lead", "palace", True, 2)
>>> print(render_order(duty, [0] * len(SLOTS), call_sign="HERON 41", report_time="19:00"))
ORDER FOR THE NIGHT OF 2026-12-01
Ref. EO 2026-335
To: ana
Call sign: HERON 41
Team: inner
Position: lead
Report at 19:00 to palace.
The principal is at your post tonight.
Room: 2.
Need to know: do not share this order.
Destroy this order after the night.
Acknowledge receipt.
<BLANKLINE>
>>> from escolta.orders.duty import RouteStop
>>> stops = (RouteStop(25413717, 60.171, 24.9414), RouteStop(25413719, 60.1712, 24.9421))
>>> driver = Duty(dt.date(2026, 12, 1), "dino", "inner", "driver", "driver", None, False, None,
...               drives=True, route=stops)
>>> print(render_order(driver, [0] * len(SLOTS), call_sign="WREN 10", report_time="19:00",
...                    depart_time="17:00"))
ORDER FOR THE NIGHT OF 2026-12-01
Ref. EO 2026-335
To: dino
Call sign: WREN 10
Team: inner
Position: driver
Report at 17:00 to the convoy's vehicle.
Drive the convoy along these 2 road nodes, in this order, leaving at once:
1. road node 25413717 (60.171000, 24.941400)
2. road node 25413719 (60.171200, 24.942100)
Need to know: do not share this order.
Destroy this order after the night.
Acknowledge receipt.
<BLANKLINE>
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence

from escolta.orders.duty import Duty, RouteStop

SLOTS: tuple[str, ...] = (
    "heading.word", "heading.night", "heading.date",
    "ref.word", "ref.prefix", "ref.sep",
    "to.word", "callsign.word", "order.to_callsign",
    "team.word", "position.word", "order.team_position",
    "report.verb", "report.time", "report.dest",
    "principal.verb", "principal.when",
    "room.form", "room.number",
    "ack.verb", "ack.when",
    "destroy.verb", "destroy.when",
    "need.form",
    "order.ack_destroy", "order.destroy_need",
)
"""The marks of one night, in codeword order."""

SLOT = {name: index for index, name in enumerate(SLOTS)}

PRINCIPAL_SLOTS = frozenset({"principal.verb", "principal.when"})
ROOM_SLOTS = frozenset({"room.form", "room.number"})
MARKS_PER_ORDER = len(SLOTS) - len(PRINCIPAL_SLOTS) - len(ROOM_SLOTS)
"""Marks in the order of a person whose team is away from the principal (the fewest)."""

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

# Two wordings per mark, variant 0 first. The reader (read.py) matches these, lowercased.
WORDS: dict[str, tuple[str, str]] = {
    "heading.word": ("ORDER", "ORDERS"),
    "heading.night": ("NIGHT", "EVENING"),
    "ref.word": ("Ref.", "Reference:"),
    "ref.prefix": ("EO", "E.O."),
    "ref.sep": ("-", "/"),
    "to.word": ("To:", "For:"),
    "callsign.word": ("Call sign:", "Radio call sign:"),
    "team.word": ("Team:", "Unit:"),
    "position.word": ("Position:", "Duty position:"),
    "report.verb": ("Report", "Present yourself"),
    "report.dest": ("to", "to your post at"),
    "principal.verb": ("is at", "stays at"),
    "principal.when": ("tonight", "this night"),
    "room.form": ("Room:", "The principal's room is"),
    "room.number": ("", "no. "),
    "ack.verb": ("Acknowledge", "Confirm"),
    "ack.when": ("", " at once"),
    "destroy.verb": ("Destroy", "Shred"),
    "destroy.when": ("the night", "your duty"),
    "need.form": ("do not share this order", "share this order with no one"),
}

CALL_WORDS = (
    "ALDER", "BADGER", "CEDAR", "DUNLIN", "EGRET", "FALCON", "GANNET", "HERON",
    "IBIS", "JACKAL", "KESTREL", "LINNET", "MARTEN", "NARWHAL", "OSPREY", "PLOVER",
    "QUARRY", "RAVEN", "SWIFT", "TERN", "UPLAND", "VIPER", "WREN", "YARROW",
    "ZEPHYR", "BRAMBLE", "CONDOR", "DRAKE", "EMBER", "FINCH", "GROUSE", "HAWK",
)


def call_sign(night_key: bytes, date: dt.date, team: str, position: str) -> str:
    """The call sign of a position tonight: a word and two digits from HMAC-SHA256.

    A function of the night's secret key, the date, the team and the position only, so it
    tells nothing about anyone else and cannot be guessed without the key.

    Examples
    --------
    >>> call_sign(bytes(16), dt.date(2026, 12, 1), "inner", "lead")
    'ZEPHYR 26'
    """
    message = f"{date.isoformat()}|{team}|{position}".encode()
    digest = hmac.new(night_key, message, hashlib.sha256).digest()
    return f"{CALL_WORDS[digest[0] % len(CALL_WORDS)]} {digest[1] % 90 + 10}"


def format_date(date: dt.date, variant: int) -> str:
    """``2026-12-01`` (variant 0) or ``1 DEC 2026`` (variant 1)."""
    if variant == 0:
        return date.isoformat()
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def format_time(clock: str, variant: int) -> str:
    """``19:00`` (variant 0) or ``1900 hrs`` (variant 1)."""
    return clock if variant == 0 else f"{clock.replace(':', '')} hrs"


def _word(name: str, symbols: Sequence[int]) -> str:
    return WORDS[name][int(symbols[SLOT[name]])]


def _pair(first: str, second: str, swapped: int) -> list[str]:
    return [second, first] if swapped else [first, second]


def _closing(ack: str, destroy: str, need: str, ack_first: int, destroy_first: int) -> list[str]:
    """Three interchangeable lines; ``ack_first`` says ack precedes destroy, ``destroy_first``
    that destroy precedes need (each of the four combinations has one arrangement)."""
    arrangements = {
        (1, 1): [ack, destroy, need],
        (1, 0): [ack, need, destroy],
        (0, 1): [destroy, ack, need],
        (0, 0): [need, destroy, ack],
    }
    return arrangements[(int(ack_first), int(destroy_first))]


CONVOY_DEST = "the convoy's vehicle"
"""Where the convoy's driver reports (the report line's destination, instead of a post)."""
CONVOY_STAYS = "The convoy does not move today: stand by at the vehicle."


def route_lines(route: Sequence[RouteStop] | None) -> list[str]:
    """The convoy driver's route, one line per road node; unmarked (it is the meaning)."""
    if route is None:
        return [CONVOY_STAYS]
    return ([f"Drive the convoy along these {len(route)} road nodes, in this order, "
             "leaving at once:"]
            + [f"{k}. road node {stop.node} ({stop.lat:.6f}, {stop.lon:.6f})"
               for k, stop in enumerate(route, start=1)])


def render_order(duty: Duty, symbols: Sequence[int], *, call_sign: str,
                 report_time: str, depart_time: str | None = None) -> str:
    """The order of ``duty`` carrying ``symbols`` (one 0/1 per entry of :data:`SLOTS`).

    Parameters
    ----------
    duty
        What the person may know tonight.
    symbols
        The person's codeword for the night.
    call_sign
        The position's call sign (:func:`call_sign`).
    report_time
        ``HH:MM``, from the scenario's ``orders.report_time``.
    depart_time
        ``HH:MM``, from ``orders.depart_time``: when the convoy's driver reports (needed
        for a duty that ``drives``).
    """
    if len(symbols) != len(SLOTS) or any(int(s) not in (0, 1) for s in symbols):
        raise ValueError(f"an order needs {len(SLOTS)} binary symbols")
    if duty.drives and depart_time is None:
        raise ValueError("the convoy driver's order needs the time to depart")
    s = symbols
    date = duty.date
    heading = (f"{_word('heading.word', s)} FOR THE {_word('heading.night', s)} OF "
               f"{format_date(date, s[SLOT['heading.date']])}")
    reference = (f"{_word('ref.word', s)} {_word('ref.prefix', s)} "
                 f"{date.year}{_word('ref.sep', s)}{date.timetuple().tm_yday:03d}")
    to = f"{_word('to.word', s)} {duty.person}"
    sign = f"{_word('callsign.word', s)} {call_sign}"
    team = f"{_word('team.word', s)} {duty.team}"
    position = f"{_word('position.word', s)} {duty.position}"
    clock = depart_time if duty.drives and depart_time is not None else report_time
    report = (f"{_word('report.verb', s)} at {format_time(clock, s[SLOT['report.time']])} "
              f"{_word('report.dest', s)} {CONVOY_DEST if duty.drives else duty.post}.")
    lines = [heading, reference]
    lines += _pair(to, sign, s[SLOT["order.to_callsign"]])
    lines += _pair(team, position, s[SLOT["order.team_position"]])
    lines.append(report)
    if duty.drives:
        lines += route_lines(duty.route)
    if duty.principal_here:
        lines.append(f"The principal {_word('principal.verb', s)} your post "
                     f"{_word('principal.when', s)}.")
    if duty.room is not None:
        lines.append(f"{_word('room.form', s)} {_word('room.number', s)}{duty.room}.")
    ack = f"{_word('ack.verb', s)} receipt{_word('ack.when', s)}."
    destroy = f"{_word('destroy.verb', s)} this order after {_word('destroy.when', s)}."
    need = f"Need to know: {_word('need.form', s)}."
    lines += _closing(ack, destroy, need, s[SLOT["order.ack_destroy"]],
                      s[SLOT["order.destroy_need"]])
    return "\n".join(lines) + "\n"
