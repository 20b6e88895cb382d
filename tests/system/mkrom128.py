#!/usr/bin/env python3
"""mkrom128.py - make a 128 KiB ROM image from a 64 KiB one (upper half),
for testing -bios with both sizes. usage: mkrom128.py IN OUT"""
import sys

data = open(sys.argv[1], 'rb').read()
if len(data) != 65536:
    sys.exit('mkrom128: input must be 64 KiB')
open(sys.argv[2], 'wb').write(b'\xff' * 65536 + data)
