"""Use cases, each one unit of work; the Office composes them."""
