"""PostgreSQL: the connection (engine), the schema, and one query module per capability.

Nothing here is imported on the api handler's import path: SQLAlchemy and psycopg cost
~100 ms of cold start, paid only by the routes that need PostgreSQL (/me, /search, /stats).
"""
