"""The table the option fuzz draws from: each command, its fixed arguments, and a strategy of
bad (and good) values for each option. Add a command by adding a :class:`Command` row.

Placeholders in arguments and values: ``{db}`` (a record with a plan in force),
``{scenario}`` (two-sites), ``{week}`` (protected-week: phones and appearances), ``{game}``,
``{tmp}`` (a fresh private directory), ``{link}`` (a dangling symbolic link in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from .mutations import MARKUP_AND_UNICODE

INTS = st.sampled_from(["-1", "0", "1", "2", "3", "31", "400", "1000000000", "1000000000000",
                        "9" * 30, "9" * 5000, "1e3", "x", "", "0x10", " 5", "٣", "-0"])
FLOATS = st.sampled_from(["-1", "0", "0.001", "1", "1e308", "1e999", "inf", "nan", "x", ""])
DATES = st.sampled_from(["2026-01-05", "2031-06-15", "0001-01-01", "0001-01-02", "9999-12-31",
                         "9999-12-30", "2026-02-30", "2026-13-01", "yesterday", "", "-1",
                         "2026-1-5", "99999-01-01"])
TEXT = st.one_of(st.sampled_from(MARKUP_AND_UNICODE), st.text(max_size=12),
                 st.sampled_from(["x" * 201, "x" * 100_000]))
PATHS = st.sampled_from(["{tmp}/out", "{tmp}/missing/dir/out", "{tmp}", "{link}", "/dev/null",
                         "{tmp}/out.png", "{tmp}/a b[/bold].ics", ""])
NIGHT_METHODS = st.sampled_from(["auto", "fast", "reference", "bogus", "", "[/bold]"])
SITES = st.one_of(st.sampled_from(["palace", "villa", "nowhere"]), TEXT)
POSTS = st.sampled_from(["inner=palace", "outer=villa", "inner=nowhere", "x=y", "inner",
                         "=", "inner=palace=villa", "[/bold]=palace"])


@dataclass(frozen=True)
class Command:
    """One command line: fixed words, then options each drawn with its strategy."""

    words: tuple[str, ...]
    options: dict[str, st.SearchStrategy[str]] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    """Options always given (still with a drawn value) unless the draw drops them."""


COMMANDS: dict[str, Command] = {
    "plan": Command(("plan", "{scenario}", "--no-plots", "--db", "{db}"),
                    {"--sweep-teams": INTS, "--method": NIGHT_METHODS,
                     "--time-limit": FLOATS, "--plots": PATHS}, flags=("--json",)),
    "schema": Command(("schema",)),
    "tonight": Command(("tonight", "--db", "{db}"), {"--date": DATES, "--seed": INTS},
                       flags=("--json",)),
    "schedule": Command(("schedule", "--db", "{db}"),
                        {"--days": st.sampled_from(["-1", "0", "1", "3", "400", "x",
                                                    "1000000000", "9" * 5000]),
                         "--start": DATES, "--seed": INTS, "--ics": PATHS, "--csv": PATHS},
                        flags=("--json",), required=("--days",)),
    "record": Command(("record", "--db", "{db}"),
                      {"--site": SITES, "--room": INTS, "--post": POSTS, "--date": DATES},
                      flags=("--json",), required=("--site",)),
    "report": Command(("report", "--db", "{db}"), {"--plots": PATHS}, flags=("--json",)),
    "appearances": Command(("appearances", "{week}", "--db", "{db}"),
                           {"--week": DATES, "--seed": INTS,
                            "--method": st.sampled_from(["auto", "enumerate",
                                                         "column_generation", "bogus"]),
                            "--plot": PATHS},
                           flags=("--json", "--force"), required=("--week",)),
    "phones add": Command(("phones", "add", "--db", "{db}"), {"--notes": TEXT},
                          flags=()),
    "phones retire": Command(("phones", "retire", "--db", "{db}")),
    "phones list": Command(("phones", "list", "--db", "{db}"), flags=("--json",)),
    "phones schedule": Command(("phones", "schedule", "{week}", "--db", "{db}"),
                               {"--days": INTS, "--start": DATES}, flags=("--json",)),
    "phones sweep": Command(("phones", "sweep", "{week}"),
                            {"--max-days": st.sampled_from(["-1", "0", "1", "3", "60", "61",
                                                            "1000000", "x"]),
                             "--method": NIGHT_METHODS, "--plot": PATHS}, flags=("--json",)),
    "redteam": Command(("redteam", "{scenario}"),
                       {"--nights": INTS, "--runs": st.sampled_from(["-1", "0", "1", "2", "x",
                                                                     "1000000000"]),
                        "--seed": INTS, "--method": NIGHT_METHODS,
                        "--workers": st.sampled_from(["-1", "0", "1", "2", "65", "x"]),
                        "--plots": PATHS},
                       flags=("--json",), required=("--nights",)),
    "solve": Command(("solve", "{game}"),
                     {"--method": st.sampled_from(["auto", "dobss", "hbgs", "levels", "bogus",
                                                   ""]),
                      "--time-limit": FLOATS}, flags=("--json",)),
    "backup": Command(("backup", "--db", "{db}"), flags=("--json",)),
    "roster": Command(("roster", "--db", "{db}"),
                      {"--days": INTS, "--start": DATES, "--time-limit": FLOATS,
                       "--workers": st.sampled_from(["-1", "0", "1", "2", "65", "x"])},
                      flags=("--json", "--force")),
    "orders": Command(("orders", "--db", "{db}"),
                      {"--date": DATES, "--person": TEXT, "--out": PATHS, "--seed": INTS},
                      flags=("--json",)),
    "trace": Command(("trace", "--db", "{db}"), flags=("--json",)),
    "sweep": Command(("sweep",), {"--workers": st.sampled_from(["-1", "0", "65", "x"]),
                                  "--scheduler": st.sampled_from(["", "http://x", "tcp://",
                                                                  "[/bold]"]),
                                  "--out": PATHS, "--time-limit": FLOATS},
                     flags=("--json", "--no-plot")),
    "users add": Command(("users", "add", "--db", "{db}"),
                         {"--role": st.sampled_from(["chief", "planner", "officer", "auditor",
                                                     "king", ""]),
                          "--person": TEXT}, flags=("--totp",), required=("--role",)),
    "users list": Command(("users", "list", "--db", "{db}"), flags=("--json",)),
    "audit verify": Command(("audit", "verify", "--db", "{db}"), flags=("--json",)),
    "audit show": Command(("audit", "show", "--db", "{db}"), {"--last": INTS},
                          flags=("--json",)),
    "restore": Command(("restore", "--db", "{tmp}/restored.db"), flags=("--json",)),
}
"""Positional arguments drawn per command (labels, DEST, BACKUP) are added in the test."""

POSITIONAL: dict[str, st.SearchStrategy[str]] = {
    "phones add": TEXT,
    "phones retire": TEXT,
    "backup": PATHS,
    "trace": PATHS,
    "sweep": PATHS,
    "users add": TEXT,
    "restore": st.sampled_from(["{backup}", "{tmp}/none.db", "{link}", "/dev/null", "{tmp}"]),
}
