"""The ``escolta`` command."""
