# expect: FILE:6: Picomon would refuse the converted picomon.checks[0].url: must be a path starting with '/', got 'http://www.example.org/'
from picomon.checks import *
from picomon import config

web = Host(ipv4='192.0.2.80')
config.checks.add(CheckHTTP4, web, url='http://www.example.org/')
