"""What a person edits and how it is told: the fields of each form and list, their paths
in the dossier and their labels, the values proposed, the product table."""
