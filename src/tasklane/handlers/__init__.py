"""Lambda entry points: thin, they wire observability and hand over to ``api``/``logic``."""
