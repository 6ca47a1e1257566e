"""The money side of the rules: amounts and VAT, payment terms, contract periods, the
billing plan, orders and travel costs; they stand on the definitions and nothing else of
the procedure's rules."""
