"""Money: contract schedules and invoices, Andamento's figures, the files for Assist."""
