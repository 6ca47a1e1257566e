"""The headless core of Acquisto: records, the procedure, validation and the Office facade."""
