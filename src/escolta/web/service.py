"""The web's one door to the plan, tonight, the record and the report.

Every page and API route that touches the plan goes through these functions, which call the
service layer the CLI calls (:mod:`escolta.operations`) and only shape its results for pages.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.operations.dates import today
from escolta.operations.nights import plan_in_force
from escolta.protect.plan import Night
from escolta.protect.scenario import Scenario, parse_scenario_text


def plan_export(session: Session) -> dict[str, Any]:
    """The plan in force, as ``escolta plan --json`` prints it, with its id and scenario."""
    in_force = plan_in_force(session)
    return {**in_force.plan.to_dict(), "plan_id": in_force.stored.id,
            "scenario": in_force.scenario_name}


def plan_plots(session: Session) -> dict[str, str]:
    """The plan's plots as inline SVG text: site odds and risk by adversary."""
    from escolta.reports.plots import plot_adversary_risk, plot_site_odds

    in_force = plan_in_force(session)
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="escolta-svg-") as directory:
        for name, draw in (("site_odds", lambda p: plot_site_odds(in_force.plan, p)),
                           ("adversaries", lambda p: plot_adversary_risk(
                               in_force.scenario, in_force.plan, p))):
            path = Path(directory) / f"{name}.svg"
            draw(path)
            text = path.read_text(encoding="utf-8")
            out[name] = presentation_attributes(text[text.index("<svg"):])
    return out


_STYLE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)


def presentation_attributes(svg: str) -> str:
    """Matplotlib's ``style="fill: #fff; stroke: #000"`` as SVG presentation attributes.

    The pages' Content-Security-Policy refuses inline styles (no ``'unsafe-inline'``), which
    would paint every shape black; ``fill="#fff"`` is an attribute, not a style, and is drawn.

    Examples
    --------
    >>> presentation_attributes('<path style="fill: #ffffff; stroke-width: 0.8"/>')
    '<path fill="#ffffff" stroke-width="0.8"/>'
    """
    def attributes(match: re.Match[str]) -> str:
        pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
        return "".join(f' {k.strip()}="{v.strip()}"' for k, v in pairs)

    return _STYLE.sub(attributes, _STYLE_ELEMENT.sub("", svg))


@dataclass(frozen=True)
class TonightView:
    """The night drawn for a date (None when not drawn yet), and the plan it came from."""

    date: dt.date
    night: Night | None
    seeded: bool
    plan_id: int
    scenario_name: str


def tonight(session: Session, date: dt.date) -> TonightView:
    """The night drawn for ``date`` from the plan in force, without drawing one."""
    from escolta.store.record import drawn_night

    in_force = plan_in_force(session)
    drawn = drawn_night(session, date, plan_id=in_force.stored.id)
    return TonightView(date, None if drawn is None else drawn.night,
                       bool(drawn and drawn.seeded), in_force.stored.id,
                       in_force.scenario_name)


def draw_tonight(session: Session, date: dt.date) -> TonightView:
    """Draw the night for ``date`` (OS CSPRNG), unless one is drawn already (then keep it)."""
    from escolta.operations.nights import draw_tonight as draw

    draw(session, date)
    return tonight(session, date)


def scenario_of_plan(session: Session) -> Scenario:
    return plan_in_force(session).scenario


@dataclass(frozen=True)
class RecordOutcome:
    """What recording a night did: stored it, or stopped to warn first (nothing stored)."""

    date: dt.date
    night: Night
    assessment: dict[str, Any]
    stored: bool
    needs_confirmation: bool
    replaced: bool = False


def record_night(session: Session, *, date: dt.date, site: str, room: int,
                 posts: list[str], confirm: bool) -> RecordOutcome:
    """Record the night spent; a night the plan never draws is only stored with ``confirm``.

    The warning before an override follows ARMOR (Pita et al., AAMAS 2008): the operator is
    told the price of departing from the randomization before it is written down. The night
    is priced once, as it is recorded, in a savepoint that is rolled back when it needs the
    confirmation it did not get (so nothing is stored then).
    """
    from escolta.operations.nights import record_night as record

    if date > today():
        raise InputError("date", date.isoformat(),
                         f"is in the future (today is {today().isoformat()})")
    attempt = session.begin_nested()
    try:
        recorded = record(session, date, site, room, posts)
    except BaseException:
        attempt.rollback()
        raise
    if recorded.assessment.probability == 0.0 and not confirm:
        attempt.rollback()
        return RecordOutcome(date, recorded.night, recorded.assessment.to_dict(), False, True)
    attempt.commit()
    return RecordOutcome(date, recorded.night, recorded.assessment.to_dict(), True, False,
                         recorded.replaced)


def report(session: Session) -> dict[str, Any]:
    """The record's report, as ``escolta report --json`` prints it."""
    from escolta.operations.report import record_report

    return record_report(session).to_dict()


@dataclass(frozen=True)
class ScenarioCheck:
    """A scenario text checked: valid (and stored) or the field and reason of the mistake."""

    ok: bool
    field: str = ""
    reason: str = ""
    value: str = ""
    stored_id: int | None = None


def check_scenario(name: str, text: str) -> ScenarioCheck:
    """Validate a scenario's YAML (storing it is :func:`escolta.web.jobs.save_scenario`)."""
    try:
        parse_scenario_text(text, origin=name or "scenario")
    except InputError as error:
        return ScenarioCheck(False, error.field, error.reason, repr(error.value)[:80])
    return ScenarioCheck(True)


def redteam_summary(session: Session) -> dict[str, Any]:
    """What the red team can say from the record alone: the report's sites and overrides."""
    data = report(session)
    return {"plan": data["plan"], "sites": data["nights_spent"]["sites"],
            "overrides": data["overrides"], "draws": data["draws"]}


def parse_date(value: str, field: str) -> dt.date:
    """A form's date (YYYY-MM-DD, as strict as the command line's)."""
    from escolta.operations.dates import parse_date as strict

    return strict(value.strip(), field, today())


def parse_room(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError("room", value, "must be a whole number") from None


def roster(session: Session, date: dt.date) -> list[dict[str, Any]]:
    """The roster of ``date`` (team, position, role, person), docs/design.md §9."""
    from escolta.store.rosters import roster_on

    return [{"team": a.team, "position": a.position, "role": a.role, "person": a.person}
            for a in roster_on(session, date)]
