"""Tasklane's performance suite: cold start, DynamoDB requests per operation, items read.

Run it with ``uv run python -m benchmarks`` (``make bench``); see ``benchmarks/README.md``.
"""
