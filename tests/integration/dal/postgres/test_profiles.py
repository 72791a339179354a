"""The profile lookup by e-mail can use its index (``profiles_email_lower``)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine


def test_the_email_lookup_can_use_its_index(pg: Engine) -> None:
    with pg.connect() as conn:
        # Two rows make a sequential scan cheapest; what matters is that the index fits.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = conn.execute(
            text(
                "EXPLAIN SELECT user_id FROM profiles WHERE lower(email) = lower('A@b.c') "
                "ORDER BY created_at DESC LIMIT 1"
            )
        ).all()
    assert "profiles_email_lower" in " ".join(str(row[0]) for row in plan)
