# An original Picomon configuration (Python) of our own for `picomon migrate`: every check class of
# the original with every option it read, loops, arithmetic, hosts bound to variables, kept in a dict
# or a list, a default changed after some checks were built, and a check built without checks.add().
from picomon.checks import *
from picomon import config

config.base_tick = 30
config.default_every = 2
config.default_error_every = 4
config.verb_level = logging.DEBUG
config.emails.to = ['ops@example.org']
config.emails.to += ['oncall@example.org']
config.emails.addr_from = 'Picomon <picomon@example.org>'
config.emails.smtp_host = 'mail.example.org:587'
config.emails.smtp_keepalive_timeout = 120
config.emails.smtp_retry_timeout = 2.5 * 60
config.emails.subject_tpl = '[ops] {state}: {check} on {dest}'
config.emails.report.every = 6 * 3600
config.emails.report.subject = '[ops] still failing'
config.emails.watchdog_subject = '[ops] picomon stopped'

hour = 3600 / config.base_tick
day = 24 * hour

router = Host(ipv4='192.0.2.1', name='router')
web = Host(ipv4='192.0.2.80', ipv6='2001:db8::80', name='www.example.org')
resolver6 = Host(ipv6='2001:db8::53')
servers = {'mx1': Host(ipv4='192.0.2.25', ipv6='2001:db8::25'),
           'xmpp': Host(ipv4='192.0.2.52', ipv6='2001:db8::52')}
edges = [Host(ipv4='198.51.100.%d' % i, name='edge %d' % i) for i in range(1, 4)]

config.checks.add([CheckPing4, CheckPing6], [web], retry=2, every=5)
config.checks.add(CheckPing4, [router] + edges, timeout=1.5)
config.checks.add(CheckDNSZone, ['example.net', 'example.org'], ip_version=4, every=hour)
config.checks.add(CheckDNSRec4, router, error_every=-1)
config.checks.add(CheckDNSRec6, resolver6, target_name='resolver')
for klass in (CheckHTTP4, CheckHTTP6):
    config.checks.add(klass, web, status=302, vhost='www.example.org', every=day)
config.checks.add([CheckHTTP4, CheckHTTP6], web, string='hello world', vhost='www.example.org',
                  url='/summary/router-edge/ipv4', every=day / 2)
config.checks.add([CheckHTTPS4, CheckHTTPS6], web, status='200', vhost='www.example.org', error_every=1)
for response, every in (('(250)', 60), ('554', day / 2)):
    config.checks.add([CheckSMTP4, CheckSMTP6], servers['mx1'], from_addr='picomon@example.com',
                      command='RCPT TO: postmaster@example.net', response=response, timeout=15, every=every)
config.checks.add([CheckOpenVPN4, CheckOpenVPN6], web, retry=0)
config.checks.add([CheckJabber4, CheckJabber6], [servers['xmpp']])
config.checks.append(CheckPing6(resolver6, every=3))
config.default_every = 7
print("everything.py: %d checks" % len(config.checks))
