"""``escolta sweep``: a grid of scenario variants solved exactly on a Dask cluster, kept on
disk so an interrupted sweep resumes, summarized as a table and a plot per axis."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from escolta.protect.scenario import Scenario, load_scenario
from escolta.sweeps.results import ResultStore, VariantResult
from escolta.sweeps.run import Advance, PlannedVariant, plan_variants, run_sweep
from escolta.sweeps.spec import SweepSpec, load_spec


@dataclass(frozen=True)
class SweepOutcome:
    """The sweep, every variant's figures (in grid order), where they are kept, the plot."""

    spec: SweepSpec
    results: tuple[VariantResult, ...]
    directory: Path
    plot: Path | None

    def to_dict(self) -> dict[str, object]:
        return {"scenario": str(self.spec.scenario),
                "axes": {a.name: list(a.values) for a in self.spec.axes},
                "variants": [r.to_dict() for r in self.results],
                "results": str(self.directory),
                "plot": None if self.plot is None else str(self.plot)}


def default_results_dir(spec_path: str | os.PathLike[str]) -> Path:
    """Where a sweep's results are kept unless told: ``out/sweeps/<spec name>``."""
    return Path("out") / "sweeps" / Path(spec_path).stem


@dataclass(frozen=True)
class LoadedSweep:
    """A sweep read and every variant validated, before anything is solved or written."""

    spec: SweepSpec
    base: Scenario
    variants: tuple[PlannedVariant, ...]
    directory: Path
    default_directory: bool  # out/sweeps/NAME, whose parents escolta may create


def load_sweep(spec_path: str | os.PathLike[str], out: Path | None = None) -> LoadedSweep:
    """Read the sweep file and its scenario and build every variant (an InputError names the
    first bad axis value); nothing is written yet."""
    spec = load_spec(spec_path)
    base = load_scenario(spec.scenario)
    variants = tuple(plan_variants(spec, base))
    if out is None:
        return LoadedSweep(spec, base, variants, default_results_dir(spec_path), True)
    return LoadedSweep(spec, base, variants, out, False)


def solve_sweep(sweep: LoadedSweep, *, scheduler: str | None = None, workers: int | None = None,
                method: str = "auto", time_limit: float | None = None, plot: bool = True,
                advance: Advance | None = None) -> SweepOutcome:
    """Solve every variant not yet kept (on Dask), then plot risk against each axis."""
    if sweep.default_directory:
        sweep.directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    store = ResultStore(sweep.directory)
    results = run_sweep(list(sweep.variants), store, scheduler=scheduler, workers=workers,
                        method=method, time_limit=time_limit, advance=advance)
    written = None
    if plot:
        from escolta.sweeps.plot import plot_sweep

        written = plot_sweep([(a.name, a.values) for a in sweep.spec.axes], results,
                             sweep.directory / "sweep.png")
    return SweepOutcome(sweep.spec, tuple(results), sweep.directory, written)
