"""Pure rules of the procedure: conditions, steps, validation, terms, schedule, orders, travel."""
