"""Data in and out (issue 18), as pure functions over streams: import parsers, export
writers (tasks.json, tasks.csv, the ZIP), webhook signing and target checks, the calendar
feed. No AWS call here: the workers and routes that wire them to S3, SQS and DynamoDB pass
file-like objects and iterators in.
"""
