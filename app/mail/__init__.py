"""Outgoing mail: the templates and how a message is rendered (at queue time, in the
transaction of its cause), the hand-over to an SMTP relay or the mail folder, and the worker
that sends what the outbox holds (app/services/mail_outbox.py)."""
