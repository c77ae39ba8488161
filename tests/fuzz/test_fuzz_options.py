"""Every command with drawn option values (bad dates, numbers, names, paths): one line and
exit 2, or a valid answer, within the time bound (issue 17). The commands are the table in
``commands.py``."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from .commands import COMMANDS, POSITIONAL
from .harness import FUZZ, check_outcome, run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIO = EXAMPLES / "two-sites.yaml"
WEEK = EXAMPLES / "protected-week.yaml"
GAME = EXAMPLES / "games" / "port.json"


@functools.cache
def _template() -> Path:
    """A record with a plan in force, a night drawn and one handset (built once)."""
    directory = Path(tempfile.mkdtemp(prefix="escolta-fuzz-"))
    db = directory / "template.db"
    for argv in (["plan", str(SCENARIO), "--no-plots", "--json", "--db", str(db)],
                 ["tonight", "--db", str(db), "--json"],
                 ["phones", "add", "h1", "h2", "--db", str(db)],
                 ["backup", str(directory / "template-backup.db"), "--db", str(db)]):
        outcome = run_cli(argv)
        assert outcome.code == 0, outcome.err
    return directory


def _fill(word: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        word = word.replace("{" + key + "}", value)
    return word


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(COMMANDS)))
def test_a_command_with_drawn_options_answers_or_refuses_in_one_line(
    data: st.DataObject, name: str,
) -> None:
    command = COMMANDS[name]
    argv = list(command.words)
    if name in POSITIONAL:
        argv.insert(len(name.split()), data.draw(POSITIONAL[name], label="argument"))
    for option, values in command.options.items():
        if option in command.required or data.draw(st.booleans(), label=f"give {option}"):
            argv += [option, data.draw(values, label=option)]
    argv += [flag for flag in command.flags if data.draw(st.booleans(), label=flag)]
    template = _template()
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        db = tmp / "record.db"
        shutil.copy(template / "template.db", db)
        backup = tmp / "backup.db"
        shutil.copy(template / "template-backup.db", backup)
        os.chmod(db, 0o600)
        os.chmod(backup, 0o600)
        (tmp / "link").symlink_to(tmp / "link-target")
        places = {"db": str(db), "scenario": str(SCENARIO), "week": str(WEEK),
                  "game": str(GAME), "tmp": str(tmp), "link": str(tmp / "link"),
                  "backup": str(backup)}
        here = os.getcwd()
        os.chdir(tmp)  # a relative or empty path ("--plots ''" is ".") lands in tmp
        try:
            check_outcome([_fill(word, places) for word in argv], "options")
        finally:
            os.chdir(here)
        assert not (tmp / "link-target").exists()  # nothing was written through the link
