"""The smoke test: one pass through the system as its users see it, against any stack.

``python -m smoke`` (``make smoke``) runs it against the stack ``make run`` serves;
``python -m smoke --stage dev`` (``make smoke STAGE=dev``) against a deployed stage, whose
API URL it reads from the stack's outputs. It signs up and confirms two users through the
Cognito that ``GET /config`` names, logs in with the web app's own flow (read from
``web/src``), creates a project and a task, uploads and downloads an attachment, finds the
task by search, shares the project and waits for the notifier to deliver the notification,
then deletes what it made. docs/deploy.md tells an operator to run it first after a deploy.
"""
