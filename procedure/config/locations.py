"""Where things lie: the bundled templates beside the code, and the folders of a data folder."""

from pathlib import Path

# The data the company edits without touching code: procedure, forms, catalogues, documents.
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
