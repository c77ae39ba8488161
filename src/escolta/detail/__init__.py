"""The people layer (docs/design.md §9): rosters that staff the nights already drawn.

:mod:`~escolta.detail.problem` holds the plain data; :mod:`~escolta.detail.model` the CP-SAT
model, :mod:`~escolta.detail.roster` the stages that solve it, :mod:`~escolta.detail.placement`
the split into teams, :mod:`~escolta.detail.explain` the naming of an impossible rule;
:mod:`~escolta.detail.check` an independent checker of every rule and
:mod:`~escolta.detail.milp` a second formulation on HiGHS. It sits above ``escolta.protect``.
"""
