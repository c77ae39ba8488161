"""Plots of a red-team report (matplotlib, Agg backend; PNG files).

- ``learners.png``: each learner's success against nights watched, with the one-night figure
  the plan's model allows (dashed); a row per plan (the plan, then each baseline), a column
  per view;
- ``hit_rate.png``: the same for the top-1 hit rate, with chance (the likeliest location);
- ``baselines.png``: the scenario's risk (simulated, 95% CI; exact as a dot) with the plan and
  with each baseline.
"""

from __future__ import annotations

from pathlib import Path

from escolta.labels import short_label
from escolta.privacy import private_directory, save_figure
from escolta.redteam.report import RedTeamReport


def _pyplot():  # imported late: matplotlib is slow to import and needs a headless backend
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_plots(report: RedTeamReport, directory: str | Path) -> list[Path]:
    """Write the PNG plots (0600) into ``directory`` (created 0700 if missing, in an existing
    parent); return their paths."""
    out = private_directory(directory, option="--plots")
    plt = _pyplot()
    paths = [_learner_curves(plt, report, out, "success"),
             _learner_curves(plt, report, out, "hit"),
             _baselines(plt, report, out)]
    return paths


def _learner_curves(plt, report: RedTeamReport, out: Path, what: str) -> Path:
    contests = [("plan", report.plan), *report.baselines.items()]
    views = sorted({o.view for o in report.plan.learners.values()}, key=["site", "room"].index)
    figure, axes = plt.subplots(len(contests), len(views), figsize=(6 * len(views),
                                3.2 * len(contests)), squeeze=False)
    for row, (label, contest) in zip(axes, contests, strict=True):
        for axis, view in zip(row, views, strict=True):
            reference = None
            for name, o in contest.learners.items():
                if o.view != view:
                    continue
                curve = o.success_curve if what == "success" else o.hit_curve
                axis.plot(o.bin_end, curve, marker=".", label=name.split("/")[0])
                reference = o.outcome.predicted if what == "success" else o.chance
            if reference is not None:
                axis.axhline(reference, color="black", linestyle="--",
                             label="one-night model" if what == "success" else "chance")
            axis.set_xscale("log")
            axis.set_xlabel("nights watched")
            axis.set_ylabel("success per night" if what == "success" else "top-1 hit rate")
            axis.set_title(f"{label}: learners watching the {view}")
            axis.set_ylim(bottom=0)
            axis.legend(fontsize=7)
    figure.tight_layout()
    path = out / ("learners.png" if what == "success" else "hit_rate.png")
    save_figure(figure, path, dpi=110)
    plt.close(figure)
    return path


def _baselines(plt, report: RedTeamReport, out: Path) -> Path:
    rows = [("plan", report.plan)] + list(report.baselines.items())
    figure, axis = plt.subplots(figsize=(7, 4.2))
    for x, (name, outcome) in enumerate(rows):
        s = outcome.risk.success
        axis.bar(x, s.rate, color="tab:green" if name == "plan" else "tab:gray")
        axis.errorbar(x, s.rate, yerr=[[s.rate - s.low], [s.high - s.rate]], color="black",
                      capsize=4)
        axis.plot(x, outcome.risk.predicted, "o", color="tab:red")
    axis.set_xticks(range(len(rows)))
    axis.set_xticklabels([short_label(name) for name, _ in rows])
    axis.set_ylabel("risk (weighted success per night)")
    axis.set_title("the plan against the baselines (bars: simulated, 95% CI; dots: exact)")
    figure.tight_layout()
    path = out / "baselines.png"
    save_figure(figure, path, dpi=120)
    plt.close(figure)
    return path
