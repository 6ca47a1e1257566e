"""Data the company edits without touching code: procedure, forms, catalogues, documents."""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent
