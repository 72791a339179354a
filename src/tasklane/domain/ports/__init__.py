"""Every interface the use cases depend on: one module per aggregate or outside system.

``logic/`` imports these, never ``dal/``; ``dal/`` implements them; ``tests/fakes/`` holds an
in-memory fake of each; ``tests/contract/`` runs one suite per port against the fake and the
real adapter alike; each function's container (``tasklane.wiring``) picks the adapters.

=======================  =======================================  ==========================
module                   port                                     adapter (``dal/``)
=======================  =======================================  ==========================
``pages``                ``Page``, ``PageKey`` (values, no port)
``projects``             ``ProjectStore``                         ``dynamodb.projects``
``tasks``                ``TaskStore``                            ``dynamodb.tasks``
``members``              ``MemberStore``                          ``dynamodb.members``
``invitations``          ``InvitationStore``                      ``dynamodb.invitations``
``limits``               ``Quota``, ``DailyQuota`` (values)       ``dynamodb.counters``
``comments``             ``CommentStore``                         ``dynamodb.comments``
``attachments``          ``AttachmentStore``                      ``dynamodb.attachments``
``storage``              ``ObjectStorage``                        ``storage`` (S3)
``notifications``        ``NotificationInbox``                    ``dynamodb.notifications``
``queue``                ``JobQueue``                             ``queue`` (SQS)
``jobs``                 ``ExportStore``, ``ImportStore``         ``dynamodb.jobs``
``contents``             ``ProjectContents``                      ``dynamodb.contents``
``imports``              ``ImportSink``                           ``dynamodb.imports``
``files``                ``ExchangeFiles``                        ``files`` (S3)
``webhooks``             ``WebhookStore``, ``WebhookTransport``   ``dynamodb.webhooks``; ``http``
``calendar``             ``FeedTokenStore``, ``CalendarSource``   ``dynamodb.feeds``;
                                                                  ``postgres.calendar``
``mail``                 ``Mailer``                               ``mail`` (SES)
``recipients``           ``RecipientDirectory``                   ``postgres.recipients``
``relational``           ``Relational`` → ``RelationalSession``:   ``postgres.database``
                         ``ProfileStore``, ``TaskSearch``,
                         ``ProjectionStore``, ``ReminderLedger``
=======================  =======================================  ==========================

DynamoDB ports are self-contained: each method is one unit of work (one round trip, with its
authorisation rule in the same request). PostgreSQL ports that a use case combines in one
transaction are reached through ``Relational.transaction()`` (a unit of work); each of their
modules (``profiles``, ``search``, ``projection``, ``reminders``) declares one of them.

Nothing is imported here: a handler's cold start pays only for the ports it uses.
"""
