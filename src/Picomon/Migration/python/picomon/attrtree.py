# Stand-in for the original Picomon's picomon/attrtree.py (GPLv3), used by `picomon migrate`.
# It behaves as the original (no attribute is created implicitly; install_attr() creates them)
# and also remembers each attribute's default and whether the config assigned it, so that the
# migration writes only what the config changed.
import copy


class AttrTree(object):
    """ A class holding attributes/items, but not allowing to create
    new ones implicitely.  Use .install_attr() instead. """

    def __init__(self):
        object.__setattr__(self, '_attrs', {})
        object.__setattr__(self, '_defaults', {})
        object.__setattr__(self, '_assigned', set())

    def install_attr(self, key, default):
        if key in self._attrs:
            raise KeyError('Key "%s" already exists' % key)
        stems = key.split('.', 1)
        if len(stems) < 2:
            self._attrs[key] = default
            self._defaults[key] = _copy(default)
        elif stems[0] in self._attrs:
            self._attrs[stems[0]].install_attr(stems[1], default)
        else:
            sub = AttrTree()
            sub.install_attr(stems[1], default)
            self._attrs[stems[0]] = sub

    def __getitem__(self, key):
        return self._attrs[key]

    def __setitem__(self, key, value):
        if key not in self._attrs:
            raise KeyError('Key "%s" does not exist' % key)
        elif isinstance(self._attrs[key], AttrTree):
            raise KeyError('Key "%s" is not settable' % key)
        self._attrs[key] = value
        self._assigned.add(key)

    def __getattr__(self, key):
        return self[key]

    def __setattr__(self, key, value):
        self[key] = value

    def _migration_leaves(self, prefix=''):
        """(dotted key, value, changed) of every leaf, in install order; changed when the config
        assigned it or modified it in place (config.emails.to.append(...))."""
        for key, value in self._attrs.items():
            if isinstance(value, AttrTree):
                yield from value._migration_leaves(prefix + key + '.')
            else:
                yield prefix + key, value, key in self._assigned or _differs(value, self._defaults[key])


def _copy(value):
    try:
        return copy.deepcopy(value)
    except Exception:  # an object that cannot be copied is compared by identity instead
        return value


def _differs(value, default):
    try:
        return bool(value != default)
    except Exception:
        return value is not default
