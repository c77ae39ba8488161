"""The command-line defects of issue 17, each a test: options past their limits, names that
look like Rich markup, plots that were world-readable and followed links, a plot of a night
near year 1. Modes are read with ``os.lstat``; names are looked for verbatim in the output."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_helpers import run

EXAMPLES = Path(__file__).parents[2] / "examples"
TWO_SITES = EXAMPLES / "two-sites.yaml"
WEEK = EXAMPLES / "protected-week.yaml"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.mark.parametrize(("argv", "option"), [
    pytest.param(["plan", str(TWO_SITES), "--no-plots", "--sweep-teams", "1000000000"],
                 "--sweep-teams", id="sweep-teams-1e9"),
    pytest.param(["phones", "sweep", str(WEEK), "--max-days", "1000000"], "--max-days",
                 id="phones-sweep-1e6"),
    pytest.param(["redteam", str(TWO_SITES), "--nights", "1000000000000"], "nights",
                 id="redteam-nights-1e12"),
    pytest.param(["appearances", str(WEEK), "--week", "2026-12-03", "--seed", "-1"], "--seed",
                 id="appearances-seed-minus-1"),
    pytest.param(["appearances", str(WEEK), "--week", "2026-12-03", "--method", "bogus"],
                 "--method", id="appearances-method-bogus"),
    pytest.param(["phones", "add", "x" * 201], "handset", id="label-201"),
])
def test_an_option_past_its_limit_is_one_line(capsys: pytest.CaptureFixture[str], db: str,
                                              argv: list[str], option: str) -> None:
    code, out, err = run(capsys, *argv, "--db", db) if argv[0] != "redteam" and \
        argv[:2] != ["phones", "sweep"] else run(capsys, *argv)
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.strip()]  # a progress bar's blank line
    assert len(lines) == 1 and lines[0].startswith(f"escolta: error: {option}")


def test_a_bogus_method_is_named_before_the_drawn_week(capsys: pytest.CaptureFixture[str],
                                                       db: str) -> None:
    code, _, err = run(capsys, "appearances", str(WEEK), "--week", "2026-12-03", "--db", db)
    assert code == 0, err
    code, _, err = run(capsys, "appearances", str(WEEK), "--week", "2026-12-03", "--db", db,
                       "--method", "bogus")
    assert code == 2 and "--method" in err and "drawn" not in err


MARKUP_NAMES = ["[/bold]", "[red]x", "[link=x]"]


def test_names_that_look_like_markup_print_verbatim(capsys: pytest.CaptureFixture[str],
                                                    db: str, tmp_path: Path) -> None:
    text = TWO_SITES.read_text(encoding="utf-8").replace("palace", MARKUP_NAMES[0]) \
        .replace("principal: P ", f"principal: '{MARKUP_NAMES[1]}' ") \
        .replace("lookout", f"'{MARKUP_NAMES[2]}'")
    scenario = tmp_path / "markup.yaml"
    scenario.write_text(text.replace("[/bold]", "'[/bold]'"), encoding="utf-8")
    code, out, err = run(capsys, "plan", str(scenario), "--no-plots", "--db", db)
    assert code == 0, err
    for name in MARKUP_NAMES:
        assert name in out


def test_plots_are_private_and_never_written_through_a_link(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path,
) -> None:
    plots = tmp_path / "plots"
    code, _, err = run(capsys, "plan", str(TWO_SITES), "--plots", str(plots), "--db", db)
    assert code == 0, err
    assert _mode(plots) == 0o700
    written = sorted(plots.iterdir())
    assert written and all(_mode(path) == 0o600 for path in written)
    target = tmp_path / "stolen.png"
    (plots / "site-odds.png").unlink()
    (plots / "site-odds.png").symlink_to(target)
    code, _, err = run(capsys, "plan", str(TWO_SITES), "--plots", str(plots), "--db", db)
    assert code == 0, err
    assert not os.path.lexists(target)
    assert stat.S_ISREG(os.lstat(plots / "site-odds.png").st_mode)


def test_plots_refuse_a_missing_parent_like_db(capsys: pytest.CaptureFixture[str], db: str,
                                               tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "plots"
    code, out, err = run(capsys, "plan", str(TWO_SITES), "--plots", str(missing), "--db", db)
    assert code == 2 and err.strip().count("\n") == 0
    assert "--plots" in err and "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_report_plots_a_night_near_year_one(capsys: pytest.CaptureFixture[str], db: str,
                                            tmp_path: Path) -> None:
    assert run(capsys, "plan", str(TWO_SITES), "--no-plots", "--db", db)[0] == 0
    code, _, err = run(capsys, "record", "--site", "palace", "--date", "0001-01-02",
                       "--post", "inner=palace", "--post", "outer=villa", "--db", db)
    assert code == 0, err
    code, _, err = run(capsys, "report", "--plots", str(tmp_path / "plots"), "--db", db)
    assert code == 0, err
    assert _mode(tmp_path / "plots" / "record-override-costs.png") == 0o600


def test_a_plot_in_a_missing_directory_is_refused_before_the_week_is_drawn(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path,
) -> None:
    missing = tmp_path / "no" / "notice.png"
    code, _, err = run(capsys, "appearances", str(WEEK), "--week", "2026-12-03", "--db", db,
                       "--plot", str(missing))
    assert code == 2 and "--plot" in err and not (tmp_path / "no").exists()
    code, _, err = run(capsys, "appearances", str(WEEK), "--week", "2026-12-03", "--db", db)
    assert code == 0, err  # the refused command drew and recorded nothing


def test_a_markup_site_name_is_drawn_scheduled_and_reported_verbatim(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path,
) -> None:
    scenario = tmp_path / "markup.yaml"
    scenario.write_text(TWO_SITES.read_text(encoding="utf-8").replace("palace", "'[/bold]'"),
                        encoding="utf-8")
    assert run(capsys, "plan", str(scenario), "--no-plots", "--db", db)[0] == 0
    code, out, err = run(capsys, "schedule", "--days", "14", "--db", db)
    assert code == 0, err
    assert "[/bold]" in out  # two sites and no_repeat: every other night is the palace
    for argv in (["tonight"], ["record", "--site", "[/bold]", "--post", "inner=villa",
                               "--post", "outer=villa"], ["report"]):
        code, out, err = run(capsys, *argv, "--db", db)
        assert code == 0, err
