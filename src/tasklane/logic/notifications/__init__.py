"""The notification pipeline (docs/architecture.md, "Notifications").

- :mod:`.jobs`: a stream consumer turns table changes into jobs, one per recipient, on SQS.
- :mod:`.reminders`: the scheduled run enqueues due and overdue reminders, once each.
- :mod:`.notifier`: one job → the in-app notice and, if the recipient wants it, an e-mail.
- :mod:`.templates`: the e-mail and in-app texts.
- :mod:`.inbox`: the in-app notifications API's use cases.
"""
