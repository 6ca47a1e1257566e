"""Mail: the mailings of a customer's documents, their delivery, what comes back."""
