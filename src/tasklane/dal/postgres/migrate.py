"""Apply the Alembic migrations (``migrations/`` at the repository root) to a database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

#: src/tasklane/dal/postgres/migrate.py -> the repository root.
MIGRATIONS_DIR = Path(__file__).resolve().parents[4] / "migrations"


def upgrade(engine: Engine, revision: str = "head", location: str = "") -> None:
    """``location``: where the scripts are (the Lambda bundle names its copy in the settings,
    ``DatabaseSettings.migrations_dir``); empty: the repository's ``migrations/``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", location or str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
