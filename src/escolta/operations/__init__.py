"""The service layer: what running a plan means, for every front end (CLI, web).

Plain functions over the record (a SQLAlchemy ``Session`` of one transaction, or the
:class:`~escolta.store.Store` where work must happen between two transactions) and the
planner, returning frozen dataclasses. Front ends only parse their input, call these and
present the result; none of them holds a rule of its own.

===============  ==========================================================================
module           what it holds
===============  ==========================================================================
``dates``        the calendar: today, a date given by a person (strict ``YYYY-MM-DD``)
``planning``     plan a scenario: solve, store it as the plan in force, plots, the team sweep
``nights``       the plan in force, the night before, drawing tonight, recording a night
``schedule``     drawing the coming nights (never redrawing one), with phones and appearances
``phones``       the handset inventory and the handset carried each day
``appearances``  drawing a week's public appearances (never redrawing one without force)
``report``       what the record says: plan, draws, nights spent, overrides and their cost
``roster``       staffing the drawn nights with the people of the detail (CP-SAT)
``orders``       issuing the night's need-to-know orders, and tracing a leaked text
``sweep``        a grid of scenario variants solved on Dask, kept for resuming
``redteam``      the red team over a folder of scenarios, on Dask
``users``        the operations centre's users: add, list, remove, passwords
``backup``       copying the record (SQLite online backup) and restoring a copy
===============  ==========================================================================
"""
