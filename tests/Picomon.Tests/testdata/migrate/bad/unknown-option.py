# expect: FILE:6: CheckHTTP4: unknown option 'evry', did you mean 'every'? (the original ignored it; CheckHTTP4 takes every, error_every, retry, timeout, target_name, status, vhost, string, url)
from picomon.checks import *
from picomon import config

web = Host(ipv4='192.0.2.80')
config.checks.add(CheckHTTP4, web, evry=5)
