"""What the archive's document makers raise, apart from the libraries they drive (a module
light enough for every layer to import without loading them)."""


class TemplateProblem(Exception):
    """A template cannot be filled; the message names the template and the field (Italian)."""
