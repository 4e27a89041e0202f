# expect: FILE:5: SyntaxError: invalid syntax
from picomon.checks import *
from picomon import config

config.base_tick = = 30
