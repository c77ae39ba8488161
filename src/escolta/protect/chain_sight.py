"""``sees: {chain: C}``: a chain of command turned hostile (docs/design.md §9).

Kept apart from :mod:`escolta.protect.scenario` so that its one model stays beside
``TeamSight`` without growing that shared file; which teams the chain reaches and holds is
:mod:`escolta.protect.chains`.

Examples
--------
>>> ChainSight(chain="army").chain
'army'
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ChainSight(BaseModel):
    """A hostile chain ``chain``: it sees where every team it reaches stands tonight and
    whether the principal is with it (an insider in each of them at once)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chain: Annotated[str, Field(min_length=1)]
