# What the stand-in records while an original config runs, for `picomon migrate`: where each host and
# check was defined, which checks.add() call made a check, and the errors that stop the migration.
import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

# Every Host, in the order the config created them.
hosts = []

_add_calls = 0
_current_add = None


class MigrationError(Exception):
    """Something the original accepted that Picomon cannot express; `where` is the config's file:line."""

    def __init__(self, message, where=None):
        super().__init__(message)
        self.where = where if where is not None else caller()


def caller():
    """file:line of the innermost frame that is not in this package: the config's own line."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(_PACKAGE_DIR + os.sep):
            return '%s:%d' % (filename, frame.f_lineno)
        frame = frame.f_back
    return None


class AddCall(object):
    """Marks the checks built inside one checks.add() call, so that they become one HOCON group."""

    def __enter__(self):
        global _add_calls, _current_add
        _add_calls += 1
        _current_add = _add_calls

    def __exit__(self, *exc):
        global _current_add
        _current_add = None


def current_add():
    return _current_add
