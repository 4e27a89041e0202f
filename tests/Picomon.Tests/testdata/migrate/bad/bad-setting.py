# expect: FILE: config.base_tick: expected a number of seconds, got '60'
from picomon.checks import *
from picomon import config

config.base_tick = '60'
