"""Tests of running the plan: draws, the record, exports, the operations commands."""
