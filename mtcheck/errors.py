"""Errors that the CLI turns into a one-line message and an exit code."""


class MtcheckError(Exception):
    """Base class: a problem the user can act on (input, usage, network); the message is one line."""

    exit_code = 2


class InputError(MtcheckError):
    """Bad input: missing, empty, binary, undecodable, too large, wrong language."""

    exit_code = 2


class UsageError(MtcheckError):
    """Bad combination of options or arguments."""

    exit_code = 2
