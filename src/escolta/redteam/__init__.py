"""The red team (docs/design.md §7): simulated adversaries and learners against drawn
schedules, the baselines a protective team would otherwise use, and the metrics that compare
them (success with confidence intervals, predictability)."""
