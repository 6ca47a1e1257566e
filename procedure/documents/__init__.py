"""What the .docx templates see, and how the default templates are built."""
