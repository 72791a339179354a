"""Apply the Alembic migrations (``migrations/`` at the repository root) to a database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

#: src/tasklane/dal/postgres/migrate.py -> the repository root.
MIGRATIONS_DIR = Path(__file__).resolve().parents[4] / "migrations"


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    location = os.environ.get("TASKLANE_MIGRATIONS_DIR") or str(MIGRATIONS_DIR)
    config.set_main_option("script_location", location)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
