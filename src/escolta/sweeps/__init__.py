"""Sweeps: a grid of scenario variants, each solved exactly, on a Dask cluster.

``spec`` reads the sweep file (the scenario and its axes), ``variants`` builds each variant
scenario, ``results`` keeps each variant's figures on disk so an interrupted sweep resumes,
and ``run`` solves the variants not yet done on a Dask cluster (local or remote).
"""
