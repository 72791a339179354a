"""The profile lookup by verified e-mail can use its index (``profiles_verified_email``)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine


def test_the_email_lookup_can_use_its_index(pg: Engine) -> None:
    with pg.connect() as conn:
        # Two rows make a sequential scan cheapest; what matters is that the index fits.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = conn.execute(
            text(
                # As dal/postgres/profiles.py and recipients.py look an address up: an empty
                # address is "no verified address" and outside the (partial, unique) index.
                "EXPLAIN SELECT user_id FROM profiles "
                "WHERE lower(email) = lower('A@b.c') AND email <> ''"
            )
        ).all()
    assert "profiles_verified_email" in " ".join(str(row[0]) for row in plan)
