# expect: FILE:5: KeyError: 'Key "base_tik" does not exist'
from picomon.checks import *
from picomon import config

config.base_tik = 30
