# expect: FILE:6: NameError: name 'web' is not defined
from picomon.checks import *
from picomon import config

# The original's sample uses a host `web` it never defines: uncommented, this line raises.
config.checks.add([CheckHTTP4, CheckHTTP6], web, status=302, vhost='www.example.org')
