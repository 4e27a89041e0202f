# Runs an original Picomon config (Python) against the stand-in `picomon` package beside this file
# and writes what it defined as JSON, for `picomon migrate` (src/Picomon/Migration/).
#
#   python3 picomon_migrate.py CONFIG.py OUT.json
#
# OUT.json is {"settings": ..., "hosts": ..., "checks": ...} or {"error": {"where", "message"}}.
# The config's own output goes to stderr: stdout is not ours to use.
import importlib.machinery
import importlib.util
import json
import math
import os
import sys
import traceback


def main():
    config_path, out_path = sys.argv[1], sys.argv[2]
    os.dup2(2, 1)
    # The stand-in first, whatever PYTHONPATH or PYTHONSAFEPATH say: never the real picomon.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    # As the original did: no bytecode next to the config, the config's folder on the path.
    sys.dont_write_bytecode = True
    sys.path.append(os.path.dirname(os.path.abspath(config_path)))
    from picomon import config, _migration
    original_keys = set(key for key, _, _ in config._migration_leaves())
    try:
        module = load(config_path)
        result = record(config, module, original_keys, _migration.hosts)
    except _migration.MigrationError as e:
        result = {'error': {'where': e.where, 'message': str(e)}}
    except SyntaxError as e:
        result = {'error': {'where': '%s:%s' % (e.filename, e.lineno), 'message': last_line(e)}}
    except SystemExit as e:
        result = {'error': {'where': config_frame(e, _migration),
                            'message': 'the config exited (sys.exit(%r))' % (e.code,)}}
    except BaseException as e:
        result = {'error': {'where': config_frame(e, _migration), 'message': last_line(e)}}
    with open(out_path, 'w', encoding='utf-8') as out:
        json.dump(result, out, allow_nan=False)


def load(path):
    """Executes the config as a module named after its file, as the original's import_module did."""
    name = os.path.splitext(os.path.basename(path))[0]
    if name in sys.modules:
        name = 'picomon_config'
    loader = importlib.machinery.SourceFileLoader(name, path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def last_line(error):
    return traceback.format_exception_only(type(error), error)[-1].strip()


def config_frame(error, migration):
    """file:line of the innermost frame of the traceback outside the stand-in (and this runner)."""
    where = None
    for frame in traceback.extract_tb(error.__traceback__):
        path = os.path.abspath(frame.filename)
        if not path.startswith(migration._PACKAGE_DIR + os.sep) and path != os.path.abspath(__file__):
            where = '%s:%d' % (frame.filename, frame.lineno)
    return where


def record(config, module, original_keys, hosts):
    from picomon.checks import Check, CheckIP, CheckDNSZone, Host
    settings = {key: value_of(value) for key, value, changed in config._migration_leaves()
                if changed and key != 'checks' and key in original_keys}
    checks = []
    for check in config.checks:
        if not isinstance(check, Check):
            checks.append({'class': type(check).__name__, 'foreign': True})
            continue
        entry = {
            'class': type(check).__name__,
            'options': {key: value_of(value) for key, value in check._options.items()},
            'every': value_of(check.every),
            'error_every': value_of(check.error_every),
            'retry': value_of(check.retry),
            'timeout': value_of(check.timeout),
            'add': check._add,
            'where': check._where,
        }
        if isinstance(check, CheckIP):
            if isinstance(check._host, Host):
                entry['host'] = index_of(hosts, check._host)
            else:
                entry['target'] = value_of(check._host)
        elif isinstance(check, CheckDNSZone):
            entry['target'] = value_of(check.zone)
        checks.append(entry)
    used = set(c['host'] for c in checks if c.get('host') is not None)
    names = host_names(module, Host)
    return {
        'settings': settings,
        'checks': checks,
        'hosts': [{
            'names': names.get(id(host), []),
            'used': i in used,
            'ipv4': value_of(host.ipv4) if 'ipv4' in host._given else None,
            'ipv6': value_of(host.ipv6) if 'ipv6' in host._given else None,
            'name': value_of(host.name) if 'name' in host._given else None,
            'where': host._where,
        } for i, host in enumerate(hosts)],
    }


def index_of(items, item):
    for i, candidate in enumerate(items):
        if candidate is item:
            return i
    return None


def host_names(module, host_class):
    """The names the config gave its hosts: its global variables, and the keys of its global dicts."""
    names = {}
    for var, value in vars(module).items():
        if isinstance(value, host_class):
            names.setdefault(id(value), []).append(var)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and isinstance(item, host_class):
                    names.setdefault(id(item), []).append(key)
    return names


def value_of(value):
    """A JSON value; what JSON cannot hold becomes {"python": "TYPE REPR"} for the C# side to name."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, (list, tuple)):
        return [value_of(item) for item in value]
    text = repr(value)
    return {'python': '%s %s' % (type(value).__name__, text if len(text) <= 60 else text[:57] + '...')}


if __name__ == '__main__':
    main()
