# expect: FILE:6: class CheckAlwaysOk: a Check subclass defined by the config cannot be converted (Picomon cannot run Python code); rewrite it as a 'plugin' check (a Nagios plugin) or an 'exec' check (a command and a pattern)
from picomon.checks import *
from picomon import config


class CheckAlwaysOk(Check4):
    def check(self):
        return True


config.checks.add(CheckAlwaysOk, Host(ipv4='192.0.2.1'))
