"""Errors a user can act on. The CLI prints their message and exits non-zero, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or configuration: the message says what is wrong and how to fix it."""

    exit_code = 2


class ModelError(Exception):
    """A model call failed after its retries; the caller falls back to the offline drafter."""
