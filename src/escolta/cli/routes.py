"""``escolta route``: the convoy's route drawn for a date, shown and exported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, console, esc, print_json


def register(app: typer.Typer) -> None:
    app.command("route")(route_command)


def route_command(
    date: Annotated[str | None, typer.Option("--date", help="The date, YYYY-MM-DD "
                                             "(default: today).")] = None,
    geojson: Annotated[Path | None, typer.Option("--geojson", help="Write GeoJSON.")] = None,
    gpx: Annotated[Path | None, typer.Option("--gpx", help="Write GPX.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The route the convoy drives on a date (drawn with the night), as GeoJSON or GPX."""
    from escolta.operations.dates import parse_date, today
    from escolta.operations.routes import drawn_route, geojson_text, gpx_text
    from escolta.privacy import write_private_bytes
    from escolta.store import open_store

    day = parse_date(date, "--date", today())
    with open_store(db) as store, store.transaction() as session:
        route = drawn_route(session, day)
    written = []
    if geojson is not None:
        written.append(write_private_bytes(geojson, geojson_text(route).encode(),
                                           option="--geojson"))
    if gpx is not None:
        written.append(write_private_bytes(gpx, gpx_text(route).encode(), option="--gpx"))
    if as_json:
        print_json(route.to_dict())
        return
    out = console()
    out.print(f"[bold]{day.isoformat()}[/bold]: the convoy drives to {esc(route.site)} "
              f"over {len(route.nodes) - 1} segments: "
              f"{esc(' > '.join(str(n) for n in route.nodes))}")
    for path in written:
        out.print(f"wrote {esc(path)}")
