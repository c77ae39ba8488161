"""What the record and a plan look like to people: schedule exports and plots."""
