"""Screens of the Acquisto TUI."""
