# expect: FILE:6: CheckSMTP4: host v6only has no ipv4 (the original probed its documentation address 192.0.2.1); give the host an ipv4 or drop this check
from picomon.checks import *
from picomon import config

v6only = Host(ipv6='2001:db8::25')
config.checks.add([CheckSMTP4, CheckSMTP6], v6only)
