"""Registry algorithms on plain data."""
