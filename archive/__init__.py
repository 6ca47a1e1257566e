"""The filing tree: archive root and slots (the watcher and documents come later)."""
