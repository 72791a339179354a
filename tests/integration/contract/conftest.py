"""The unit suite's use-case tests, run against DynamoStore on moto instead of the fake.

If the in-memory fake and the real store ever disagree, these tests say where: the fake is
only as good as its agreement with DynamoDB.
"""

from __future__ import annotations

import pytest

from tasklane.dal.dynamodb import DynamoStore
from tasklane.dal.dynamodb import items as it
from tasklane.domain.models import Role
from tasklane.domain.ports import Store
from tasklane.local.bootstrap import LocalConfig

# The clock, cursors and services are the unit suite's own fixtures; only the store differs.
from tests.unit.conftest import Share, clock, cursors, memory_store, projects, tasks  # noqa: F401


@pytest.fixture
def store(aws: LocalConfig) -> Store:
    return DynamoStore(aws.table_name)


def _share(store: Store, project_id: str, user_id: str, role: Role) -> None:
    """A membership item as sharing (a later issue) will write it."""
    assert isinstance(store, DynamoStore)
    from tasklane.dal import aws
    from tasklane.settings import get_settings

    item = {
        **it.member_key(project_id, user_id),
        **it.serialize(
            {
                "type": "member",
                "project_id": project_id,
                "user_id": user_id,
                "role": role.value,
                "gsi1pk": it.user_pk(user_id),
                "gsi1sk": f"PROJECT#1#{project_id}",
                "created_at": "2025-01-01T00:00:00.000Z",
            }
        ),
    }
    aws.dynamodb().put_item(TableName=get_settings().table_name, Item=item)


@pytest.fixture
def share() -> Share:
    return _share
