# expect: FILE:6: the config exited (sys.exit(1))
import sys
from picomon import config

if config.base_tick == 60:
    sys.exit(1)
