"""The protective scenario of docs/design.md §3 (YAML), validated with pydantic.

:func:`load_scenario` is the one way in: it reads YAML text, a path or a dict, validates it,
and turns every mistake into one :class:`~escolta.errors.InputError` naming the field
(``sites[1].success[2]``) and the value.

Examples
--------
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "success": [0.5, 0.2]}, {"name": "b", "success": [0.4]}],
...     "teams": [{"name": "t", "chain": "guard"}],
...     "adversaries": [{"name": "x", "weight": 1, "sees": "posture"}]})
>>> s.rules.min_teams_with_principal, s.sites[1].success_at(3)
(1, 0.4)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from escolta.errors import InputError
from escolta.protect import limits
from escolta.protect.chain_sight import ChainSight
from escolta.protect.detail import Crew, Mix, RosterRules, StaffMember, check_detail
from escolta.protect.orders_settings import OrdersSettings
from escolta.protect.roads_settings import (
    RoadSettings,
    SegmentSuccess,
    check_roads,
    with_base,
)
from escolta.protect.rotation import cycle_length
from escolta.protect.scenario_yaml import ScenarioLoader
from escolta.protect.spacing import check_appearances
from escolta.protect.week import DAYS
from escolta.untrusted import MAX_SCENARIO_BYTES, check_text_size, read_bounded_text

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Hours = Annotated[float, Field(ge=0.0, le=limits.MAX_HOURS, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=limits.MAX_NAME_LENGTH)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Site(_Strict):
    """A place where the principal may spend a night."""

    name: Name
    rooms: int = Field(default=1, ge=1, le=limits.MAX_ROOMS)
    success: list[Probability] = Field(min_length=1, max_length=limits.MAX_SUCCESS_ENTRIES)
    at: tuple[float, float] | None = None  # docs/design.md §12: [lat, lon], for the convoy's routes

    @field_validator("success")
    @classmethod
    def _non_increasing(cls, success: list[float]) -> list[float]:
        for k in range(1, len(success)):
            if success[k] > success[k - 1]:
                raise ValueError(
                    f"must be non-increasing in the number of teams, but success[{k}] = "
                    f"{success[k]} > success[{k - 1}] = {success[k - 1]}"
                )
        return success

    def success_at(self, teams: int) -> float:
        """Success with ``teams`` teams posted here; a short list repeats its last value."""
        return self.success[min(max(teams, 0), len(self.success) - 1)]


class Team(_Strict):
    """A protective team, drawn from one chain of command."""

    name: Name
    chain: Name
    crew: Crew | None = None  # docs/design.md §9: positions filled every night, by role
    mix: Mix | None = None  # docs/design.md §9: least members of each chain on duty


class Rules(_Strict):
    """Rules every night must obey."""

    min_teams_with_principal: int | None = Field(default=None, ge=0, le=limits.MAX_TEAMS)
    no_repeat: bool = False


class TeamSight(_Strict):
    """An insider in ``team``: sees where that team stands and whether the principal is there."""

    team: Name


Sees = Literal["nothing", "posture", "site", "room", "trip"] | TeamSight | ChainSight


class Adversary(_Strict):
    """An adversary of the nightly game (docs/design.md §4)."""

    name: Name
    weight: float = Field(ge=0.0, le=limits.MAX_WEIGHT, allow_inf_nan=False)
    sees: Sees = "nothing"
    lead: Literal[0, 1] = 0
    sabotage: bool = False
    attacks: Literal["nights", "roads"] = "nights"  # docs/design.md §12: roads = a convoy ambush
    success: Probability | None = None  # attacks: roads only
    segments: list[SegmentSuccess] = Field(default_factory=list)  # attacks: roads only

    @property
    def insider_team(self) -> str | None:
        return self.sees.team if isinstance(self.sees, TeamSight) else None

    @property
    def sees_kind(self) -> str:
        """``nothing``, ``posture``, ``site``, ``room``, ``team`` or ``chain``."""
        if isinstance(self.sees, ChainSight):
            return "chain"
        return "team" if isinstance(self.sees, TeamSight) else self.sees

    @property
    def hostile_chain(self) -> str | None:
        """The chain of command turned hostile (``sees: {chain: C}``), or ``None``."""
        return self.sees.chain if isinstance(self.sees, ChainSight) else None


class Phones(_Strict):
    """Phone rotation (docs/design.md §4b)."""

    leak_per_day: Probability
    per_month: int = Field(ge=1, le=limits.MAX_PHONES_PER_MONTH)
    max_days: int | None = Field(default=None, ge=1, le=limits.MAX_PHONE_DAYS)
    tracker_weight: float = Field(default=1.0, ge=0.0, le=limits.MAX_WEIGHT, allow_inf_nan=False)


class Slot(_Strict):
    """A candidate public appearance in the week."""

    venue: Name
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    start: str = Field(max_length=5)
    success: Probability
    hours: float = Field(default=1.0, gt=0.0, le=limits.MAX_HOURS, allow_inf_nan=False)

    @field_validator("start")
    @classmethod
    def _clock(cls, start: str) -> str:
        parts = start.split(":")
        if (
            len(parts) != 2
            or not all(p.isdigit() for p in parts)
            or not (0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59)
        ):
            raise ValueError("must be a time of day HH:MM")
        return f"{int(parts[0]):02d}:{int(parts[1]):02d}"

    @property
    def week_hour(self) -> float:
        """Hours from Monday 00:00 to the start of this slot."""
        hours, minutes = (int(p) for p in self.start.split(":"))
        return DAYS.index(self.day) * 24 + hours + minutes / 60


class AppearanceAdversary(_Strict):
    """An adversary of public appearances (docs/design.md §4c)."""

    name: Name
    weight: float = Field(ge=0.0, le=limits.MAX_WEIGHT, allow_inf_nan=False)
    prep_hours: Hours


class Appearances(_Strict):
    """Public appearances to plan each week (docs/design.md §4c)."""

    per_week: int = Field(ge=1, le=limits.MAX_PER_WEEK)
    announce_hours: Hours = 0.0
    min_gap_hours: Hours = 0.0
    slots: list[Slot] = Field(min_length=1, max_length=limits.MAX_SLOTS)
    adversaries: list[AppearanceAdversary] = Field(default_factory=list,
                                                   max_length=limits.MAX_APPEARANCE_ADVERSARIES)


class Scenario(_Strict):
    """A protective scenario (docs/design.md §3)."""

    principal: Name
    sites: list[Site] = Field(min_length=1, max_length=limits.MAX_SITES)
    teams: list[Team] = Field(default_factory=list, max_length=limits.MAX_TEAMS)
    rules: Rules = Field(default_factory=Rules)
    adversaries: list[Adversary] = Field(min_length=1, max_length=limits.MAX_ADVERSARIES)
    phones: Phones | None = None
    appearances: Appearances | None = None
    orders: OrdersSettings = Field(default_factory=OrdersSettings)
    staff: list[StaffMember] = Field(default_factory=list)  # docs/design.md §9
    roster: RosterRules = Field(default_factory=RosterRules)  # docs/design.md §9
    roads: RoadSettings | None = None  # docs/design.md §12

    @model_validator(mode="after")
    def _default_min_teams(self) -> Scenario:
        if self.rules.min_teams_with_principal is None:
            default = 1 if self.teams else 0
            object.__setattr__(
                self, "rules", self.rules.model_copy(update={"min_teams_with_principal": default})
            )
        return self

    @property
    def min_teams(self) -> int:
        value = self.rules.min_teams_with_principal
        assert value is not None  # filled in by the validator
        return value

    def site(self, name: str) -> Site:
        for site in self.sites:
            if site.name == name:
                return site
        raise InputError("site", name, "no such site in the scenario")

    def site_index(self, name: str) -> int:
        return [s.name for s in self.sites].index(self.site(name).name)

    @property
    def weights(self) -> dict[str, float]:
        """Adversary weights normalized to sum to 1."""
        total = sum(a.weight for a in self.adversaries)
        return {a.name: a.weight / total for a in self.adversaries}


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("TeamSight", "ChainSight",
                      "literal['nothing','posture','site','room','trip']"):
            continue  # union-branch labels pydantic adds to the location
        else:
            path += f".{part}" if path else str(part)
    return path or "scenario"


def _first_error(error: ValidationError) -> InputError:
    details = error.errors(include_url=False)
    # For a union (``sees``) pydantic reports one error per branch; the literal branch's
    # message is the one a person needs.
    detail = details[0]
    for candidate in details:
        if candidate["type"] == "literal_error":
            detail = candidate
            break
    for candidate in details:  # a {team: …} or {chain: …} with a bad value: that error
        branch = [str(part) for part in candidate["loc"]][-2:-1]
        if branch in (["TeamSight"], ["ChainSight"]) and candidate["type"] not in (
                "missing", "extra_forbidden"):
            detail = candidate
            break
    message = detail["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if detail["type"] == "extra_forbidden":
        message = "unknown field"
    if detail["type"] == "missing":
        return InputError(_field_path(detail["loc"]), None, "is required")
    if detail["type"] in ("too_long", "string_too_long"):  # a stated limit (limits.py)
        unit = "items" if detail["type"] == "too_long" else "characters"
        limit = detail["ctx"]["max_length"]
        return InputError(_field_path(detail["loc"]), f"{len(detail['input']):,} {unit}",
                          f"more than the limit of {limit:,} {unit}")
    reason = message[:1].lower() + message[1:]
    return InputError(_field_path(detail["loc"]), detail.get("input"), reason)


def _check_cross_references(scenario: Scenario) -> None:
    """Mistakes that span fields: duplicates, unknown teams, rules no night can obey."""
    for plural, items in (("sites", scenario.sites), ("teams", scenario.teams),
                          ("adversaries", scenario.adversaries)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.name in seen:
                raise InputError(f"{plural}[{i}].name", item.name, "is used twice")
            seen.add(item.name)
    team_names = {t.name for t in scenario.teams}
    for i, adversary in enumerate(scenario.adversaries):
        team = adversary.insider_team
        if team is not None and team not in team_names:
            raise InputError(f"adversaries[{i}].sees.team", team, "no such team in teams")
        if adversary.sabotage and team is None and adversary.hostile_chain is None:
            raise InputError(
                f"adversaries[{i}].sabotage", True,
                "only an insider (sees: {team: T}) or a hostile chain (sees: {chain: C}) "
                "can sabotage"
            )
        chain = adversary.hostile_chain
        if chain is not None and chain not in {t.chain for t in scenario.teams}:
            raise InputError(f"adversaries[{i}].sees.chain", chain, "no team has this chain")
    if not sum(a.weight for a in scenario.adversaries) > 0:
        raise InputError("adversaries[*].weight", 0, "at least one weight must be positive")
    if scenario.min_teams > len(scenario.teams):
        raise InputError(
            "rules.min_teams_with_principal",
            scenario.min_teams,
            f"exceeds the {len(scenario.teams)} teams, so every night is illegal",
        )
    if scenario.rules.no_repeat and len(scenario.sites) < 2:
        raise InputError(
            "rules.no_repeat", True, "needs at least two sites, so every night is illegal"
        )
    check_detail(scenario.teams, scenario.staff)  # docs/design.md §9: crews, mixes, staff
    check_roads(scenario)  # docs/design.md §12: roads, sites' at, road adversaries
    if scenario.appearances is not None:
        appearances = scenario.appearances
        if appearances.per_week > len(appearances.slots):
            raise InputError(
                "appearances.per_week",
                appearances.per_week,
                f"exceeds the {len(appearances.slots)} slots",
            )
        seen_adv: set[str] = set()
        for i, adversary in enumerate(appearances.adversaries):
            if adversary.name in seen_adv:
                raise InputError(f"appearances.adversaries[{i}].name", adversary.name,
                                 "is used twice")
            seen_adv.add(adversary.name)
        check_appearances(appearances)
    limits.check_scenario_size(scenario)
    if scenario.phones is not None:
        cycle_length(scenario.phones.per_month, scenario.phones.max_days)


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    """Validate a scenario given as a mapping (already parsed YAML/JSON)."""
    if not isinstance(data, Mapping):
        raise InputError("scenario", type(data).__name__, "must be a mapping of fields")
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as error:
        raise _first_error(error) from None
    _check_cross_references(scenario)
    return scenario


def read_scenario_text(source: str | Path) -> str:
    """The text of a scenario file; a missing or unreadable file is an :class:`InputError`."""
    return read_bounded_text(source, "scenario", MAX_SCENARIO_BYTES)


def parse_scenario_text(text: str, origin: str = "scenario") -> Scenario:
    """Validate YAML (or JSON) text."""
    return parse_scenario(yaml_data(text, origin))


def yaml_data(text: str, origin: str = "scenario") -> Any:
    """YAML (or JSON) text parsed safely and within bounds (no object tags, no key given
    twice, no alias bomb, no deep nesting); a syntax error, an empty or oversized text is an
    :class:`InputError` naming ``origin``."""
    check_text_size(text, origin, MAX_SCENARIO_BYTES)
    try:
        data = yaml.load(text, Loader=ScenarioLoader)  # a bounded SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise InputError(origin, origin, f"is not valid YAML{where}: {problem}") from None
    if data is None:
        raise InputError(origin, origin, "is empty")
    return data


def load_scenario(source: str | Path | Mapping[str, Any]) -> Scenario:
    """Load and validate a scenario from a path, or a mapping.

    Parameters
    ----------
    source
        A path to a YAML file, or the already-parsed mapping.

    Raises
    ------
    InputError
        Naming the first invalid field and its value.
    """
    if isinstance(source, Mapping):
        return parse_scenario(source)
    scenario = parse_scenario_text(read_scenario_text(source), origin=str(source))
    if scenario.roads is not None:  # docs/design.md §12: a road file is relative to the scenario's
        scenario = scenario.model_copy(  # folder
            update={"roads": with_base(scenario.roads, Path(source).parent)})
    return scenario


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors (``escolta schema``)."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "escolta scenario"
    return schema

