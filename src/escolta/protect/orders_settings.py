"""The ``orders`` block of a scenario (docs/design.md §10).

.. code-block:: yaml

    orders:
      colluders: 3            # c: the code resists coalitions of up to c recipients
      false_accusation: 0.001 # epsilon: chance of accusing any innocent, at most
      report_time: "19:00"    # the time every order tells its recipient to report
      depart_time: "17:00"    # the time the convoy's driver reports and leaves (design §12)

Examples
--------
>>> settings = OrdersSettings()
>>> settings.colluders, settings.false_accusation, settings.report_time, settings.depart_time
(3, 0.001, '19:00', '17:00')
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_COLLUDERS = 20


class OrdersSettings(BaseModel):
    """How orders are fingerprinted and traced, and when their recipients report (the
    convoy's driver at ``depart_time``, everyone else at ``report_time``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    colluders: int = Field(default=3, ge=1, le=MAX_COLLUDERS)
    false_accusation: float = Field(default=1e-3, gt=0.0, lt=1.0, allow_inf_nan=False)
    report_time: str = "19:00"
    depart_time: str = "17:00"  # docs/design.md §12: the convoy driver's order

    @field_validator("report_time", "depart_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        parts = value.split(":")
        if (len(parts) != 2 or not all(p.isdigit() for p in parts)
                or not (0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59)):
            raise ValueError("must be a time of day HH:MM")
        return f"{int(parts[0]):02d}:{int(parts[1]):02d}"
