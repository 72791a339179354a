"""Models, rules and errors. No I/O here."""
