#!/usr/bin/env python3
"""mkinitramfs.py - pack programs into a cpio "newc" archive (the format of
Linux's initramfs) as bin/NAME, stripped of symbols and debug information.

usage: mkinitramfs.py OBJCOPY OUTPUT PROGRAM...
"""
import os
import subprocess
import sys
import tempfile


def entry(name, mode, data, ino):
    """One newc record: 110-byte ASCII header, name, data, 4-byte padding."""
    namez = name.encode() + b'\0'
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(namez), 0]
    hdr = b'070701' + b''.join(b'%08X' % f for f in fields)
    out = hdr + namez
    out += b'\0' * (-len(out) % 4)
    out += data + b'\0' * (-len(data) % 4)
    return out


def main():
    objcopy, output, programs = sys.argv[1], sys.argv[2], sys.argv[3:]
    blob = entry('bin', 0o040755, b'', 1)
    with tempfile.TemporaryDirectory() as tmp:
        for i, prog in enumerate(sorted(programs, key=os.path.basename)):
            stripped = os.path.join(tmp, 'p')
            subprocess.run([objcopy, '--strip-all', prog, stripped], check=True)
            with open(stripped, 'rb') as f:
                data = f.read()
            blob += entry('bin/' + os.path.basename(prog), 0o100755, data, i + 2)
    blob += entry('TRAILER!!!', 0, b'', 0)
    with open(output, 'wb') as f:
        f.write(blob)


if __name__ == '__main__':
    main()
