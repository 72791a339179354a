"""The DynamoDB adapter: one table, keys from ``tasklane.resources.TABLE``."""

from tasklane.dal.dynamodb.store import DynamoStore

__all__ = ["DynamoStore"]
