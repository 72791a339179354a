"""Data in and out (issue 18): the neutral import model, the export document, webhook
signatures and target rules, calendar feed tokens. Models and rules only, no I/O.

The parsers and writers that read and write streams are in :mod:`tasklane.logic.exchange`.
"""
