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
``members``              ``MemberStore``, ``UserDirectory``       ``dynamodb.members``;
                                                                  ``logic.members`` (profiles)
``comments``             ``CommentStore``                         ``dynamodb.comments``
``attachments``          ``AttachmentStore``                      ``dynamodb.attachments``
``storage``              ``ObjectStorage``                        ``storage`` (S3)
``notifications``        ``NotificationInbox``                    ``dynamodb.notifications``
``queue``                ``JobQueue``                             ``queue`` (SQS)
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
