# expect: FILE:5: checks.add(): the targets are the string 'example.net', which the original iterates letter by letter ('e', 'x', 'a', ...); write ['example.net']
from picomon.checks import *
from picomon import config

config.checks.add(CheckDNSZone, 'example.net')
