"""Settings: declared once, loaded without side effects, edited keeping comments."""
