"""The protective scenario, the nightly game, phones, appearances and schedules."""
