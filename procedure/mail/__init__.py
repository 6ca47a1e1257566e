"""Mail to the outside: composing messages and the SMTP adapter."""
