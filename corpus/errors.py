"""Errors that reach users: each carries a complete Chinese message naming the file and the problem."""


class IdiError(Exception):
    """Base of every error the CLI reports without a traceback."""


class PackError(IdiError):
    """A rule pack or data file is malformed, or a requested pack does not exist."""


class CalendarCoverageError(IdiError):
    """A working-day question about a year the official calendar data does not cover."""


class InputError(IdiError):
    """A user-supplied file (project, milestones, data) is missing or malformed."""
