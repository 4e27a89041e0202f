# expect: FILE:7: CheckPing4: option every: 205.71428571428572 is not a whole number (the original never ran a check whose tick count is not whole; compute it with // or round())
from picomon.checks import *
from picomon import config

week = 7 * 86400 / config.base_tick
h = Host(ipv4='192.0.2.1')
config.checks.add(CheckPing4, h, every=week / 49)
