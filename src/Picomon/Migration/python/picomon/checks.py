# Stand-in for the original Picomon's picomon/checks.py (https://github.com/StrasWeb/picomon, GPLv3),
# used by `picomon migrate` only: the same Host, Checks and check classes, with the same
# constructors, hierarchy and defaults, which record what the config defines instead of running
# anything. Which options each class takes is known by the C# side (Migration/OriginalChecks.cs).

# The original's `from picomon.checks import *` also exported the modules and names it imported;
# a config may use them, so they are imported here too.
from subprocess import TimeoutExpired, Popen, PIPE  # noqa: F401
import re  # noqa: F401
import logging  # noqa: F401
from collections.abc import Iterable
from datetime import datetime  # noqa: F401
from . import _migration

_DEFAULT_IPV4 = '192.0.2.1'
_DEFAULT_IPV6 = '2001:db8::1'
_UNSET = object()


class Host(object):
    # The original's defaults are documentation addresses; the stand-in remembers which addresses
    # the config gave, so that a host without one is written without it.
    def __init__(self, ipv4=_UNSET, ipv6=_UNSET, name=None):
        object.__setattr__(self, '_given', set())
        object.__setattr__(self, '_where', _migration.caller())
        _migration.hosts.append(self)
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.name = name if name is not None else "%s/%s" % (self.ipv4, self.ipv6)
        if name is None:
            self._given.discard('name')

    def __setattr__(self, key, value):
        if key in ('ipv4', 'ipv6') and value is _UNSET:
            value = _DEFAULT_IPV4 if key == 'ipv4' else _DEFAULT_IPV6
        else:
            self._given.add(key)
        object.__setattr__(self, key, value)

    def __repr__(self):
        return '<Host ipv4="%s" ipv6="%s">' % (self.ipv4, self.ipv6)


class Checks(list):
    def add(self, checks, dests, **options):
        if not isinstance(checks, Iterable):
            checks = [checks]
        if isinstance(dests, str):
            raise _migration.MigrationError(
                "checks.add(): the targets are the string %r, which the original iterates letter by "
                "letter (%s); write [%r]" % (dests, ', '.join(repr(c) for c in dests[:3]) + ', ...', dests))
        if not isinstance(dests, Iterable):
            dests = [dests]
        with _migration.AddCall():
            for check in checks:
                self += [check(d, **options) for d in dests]


class Check(object):
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            raise _migration.MigrationError(
                "class %s: a Check subclass defined by the config cannot be converted (Picomon cannot "
                "run Python code); rewrite it as a 'plugin' check (a Nagios plugin) or an 'exec' check "
                "(a command and a pattern)" % cls.__name__)

    def __init__(self, **options):
        from . import config
        self._options    = options
        self.retry       = options.get('retry', 1)
        self.every       = options.get('every', config.default_every)
        self.error_every = options.get('error_every', config.default_error_every)
        if self.error_every < 0:
            self.error_every = self.every
        self.target_name = options.get('target_name', 'Unknown')
        self.timeout     = options.get('timeout', 2)
        self._where      = _migration.caller()
        self._add        = _migration.current_add()


class CheckIP(Check):
    def __init__(self, host, **options):
        super().__init__(**options)
        self.target_name = host.name
        self._host = host


class Check4(CheckIP):
    def __init__(self, host, **options):
        super().__init__(host, **options)
        self.addr = host.ipv4


class Check6(CheckIP):
    def __init__(self, host, **options):
        super().__init__(host, **options)
        self.addr = host.ipv6


class CheckPing4(Check4):
    pass


class CheckPing6(Check6):
    pass


class CheckDNSZone(Check):
    def __init__(self, zone, **options):
        super().__init__(**options)
        self.zone = zone
        self.target_name = "zone '%s'" % zone


class CheckDNSRec(Check):
    pass


class CheckDNSRec4(CheckDNSRec, Check4):
    pass


class CheckDNSRec6(CheckDNSRec, Check6):
    pass


class CheckDNSAut(Check):
    pass


class CheckHTTP(Check):
    pass


class CheckHTTPS(CheckHTTP):
    pass


class CheckHTTP4(CheckHTTP, Check4):
    pass


class CheckHTTP6(CheckHTTP, Check6):
    pass


class CheckHTTPS4(CheckHTTPS, Check4):
    pass


class CheckHTTPS6(CheckHTTPS, Check6):
    pass


class CheckSMTP(Check):
    pass


class CheckSMTP4(CheckSMTP, Check4):
    pass


class CheckSMTP6(CheckSMTP, Check6):
    pass


class CheckOpenVPN(Check):
    pass


class CheckOpenVPN4(CheckOpenVPN, Check4):
    pass


class CheckOpenVPN6(CheckOpenVPN, Check6):
    pass


class CheckJabber(Check):
    pass


class CheckJabber4(CheckJabber, Check4):
    pass


class CheckJabber6(CheckJabber, Check6):
    pass
