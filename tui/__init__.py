"""The Textual front end: screens over the same Office the CLI uses."""
