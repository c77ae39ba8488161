"""Each variant's figures on disk, one owner-only JSON file per variant, so a sweep that was
interrupted (or lost a worker) resumes with the variants it has not solved yet."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escolta.errors import InputError


@dataclass(frozen=True)
class VariantResult:
    """The figures of one variant: its axis values, the nightly risk and its proof, the
    weekly appearance risk when there are appearances, the seconds the solve took."""

    key: str
    setting: dict[str, Any]
    risk: float
    lower_bound: float
    status: str
    appearance_risk: float | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "setting": self.setting, "risk": self.risk,
                "lower_bound": self.lower_bound, "status": self.status,
                "appearance_risk": self.appearance_risk, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VariantResult:
        return cls(str(data["key"]), dict(data["setting"]), float(data["risk"]),
                   float(data["lower_bound"]), str(data["status"]),
                   None if data.get("appearance_risk") is None
                   else float(data["appearance_risk"]), float(data["seconds"]))


class ResultStore:
    """A directory of results, ``<key>.json`` each (created 0700, files 0600)."""

    def __init__(self, directory: Path, option: str = "--out") -> None:
        self.directory = Path(directory)
        if self.directory.is_symlink() or (self.directory.exists()
                                           and not self.directory.is_dir()):
            raise InputError(option, str(self.directory), "must be a directory (not a link)")
        if not self.directory.parent.is_dir():
            raise InputError(option, str(self.directory),
                             f"the directory {str(self.directory.parent)!r} does not exist")
        self.directory.mkdir(mode=0o700, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def read(self, key: str) -> dict[str, Any] | None:
        """The data kept for ``key``; a missing or damaged file is None (done again)."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def write(self, key: str, data: dict[str, Any]) -> None:
        """Write through a private temporary file and rename: never half a result."""
        from escolta.reports.exports import write_private

        write_private(self.path(key), json.dumps(data, indent=1) + "\n", option="--out")

    def get(self, key: str) -> VariantResult | None:
        """The variant result kept for ``key``, None when missing or damaged."""
        data = self.read(key)
        try:
            return None if data is None else VariantResult.from_dict(data)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, result: VariantResult) -> None:
        self.write(result.key, result.to_dict())


def solved_keys(directory: Path) -> set[str]:
    """The keys that already have a result file (for tests and progress)."""
    return {p.stem for p in Path(directory).glob("*.json")} if os.path.isdir(directory) else set()
