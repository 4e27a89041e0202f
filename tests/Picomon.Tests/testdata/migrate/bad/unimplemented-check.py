# expect: FILE:5: CheckDNSAut is unimplemented in the original (it always failed with 'Unimplemented') and cannot be converted; remove it
from picomon.checks import *
from picomon import config

config.checks.append(CheckDNSAut(every=5))
