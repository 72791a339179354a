"""The DynamoDB adapters: one table (keys from ``tasklane.resources.TABLE``), one module per
aggregate, each composing the shared :class:`tasklane.dal.dynamodb.table.Table`."""
