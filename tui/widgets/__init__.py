"""Reusable widgets of the Acquisto TUI."""
