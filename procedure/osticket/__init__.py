"""osTicket: import CSVs and the REST API for tickets."""
