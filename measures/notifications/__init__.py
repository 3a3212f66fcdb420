"""E-mail notifications: who is told what, the outbox the worker delivers from, and each
person's choice of what to receive."""
