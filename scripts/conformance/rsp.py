"""rsp.py - a minimal GDB remote serial protocol client for QEMU's gdb stub.

Only what the conformance generator needs: read/write registers (g/G/p/P),
memory (m/M), single-step (s) and the feature XML (qXfer). Packets are sent
without waiting for QEMU's '+' acknowledgements once no-ack mode is on, which
halves the round trips per case.
"""
import socket


class RSPError(Exception):
    pass


class RSP:
    def __init__(self, port, host="127.0.0.1", timeout=20.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.noack = False
        self.cmd("qSupported:multiprocess-;swbreak+;hwbreak+")
        if self.cmd("QStartNoAckMode") == "OK":
            self.noack = True
        # QEMU answers p/P only once the client has read the target
        # description, as gdb does on attach.
        self.xfer("target.xml")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _send(self, data):
        csum = sum(data.encode("latin-1")) & 0xFF
        self.sock.sendall(b"$" + data.encode("latin-1") + b"#%02x" % csum)

    def _recv_packet(self):
        # Skip acks and notifications until a full '$...#xx' packet arrives.
        while True:
            start = self.buf.find(b"$")
            if start >= 0:
                end = self.buf.find(b"#", start)
                if end >= 0 and len(self.buf) >= end + 3:
                    body = self.buf[start + 1:end]
                    self.buf = self.buf[end + 3:]
                    if not self.noack:
                        self.sock.sendall(b"+")
                    return self._unescape(body).decode("latin-1")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RSPError("connection closed")
            self.buf += chunk

    @staticmethod
    def _unescape(body):
        if b"}" not in body and b"*" not in body:
            return body
        out = bytearray()
        i = 0
        while i < len(body):
            ch = body[i]
            if ch == 0x7D:
                out.append(body[i + 1] ^ 0x20)
                i += 2
            elif ch == 0x2A and out:
                n = body[i + 1] - 29
                out.extend(out[-1:] * n)
                i += 2
            else:
                out.append(ch)
                i += 1
        return bytes(out)

    def cmd(self, data):
        self._send(data)
        return self._recv_packet()

    # ---- registers
    def read_reg(self, n):
        r = self.cmd("p%x" % n)
        if r.startswith("E") and len(r) == 3:
            raise RSPError("p%x -> %s" % (n, r))
        return int.from_bytes(bytes.fromhex(r), "little")

    def write_reg(self, n, val, size=4):
        r = self.cmd("P%x=%s" % (n, (val & ((1 << (8 * size)) - 1)).to_bytes(size, "little").hex()))
        if r != "OK":
            raise RSPError("P%x -> %s" % (n, r))

    def read_regs(self):
        return bytes.fromhex(self.cmd("g"))

    def write_regs(self, raw):
        r = self.cmd("G" + raw.hex())
        if r != "OK":
            raise RSPError("G -> %s" % r)

    # ---- memory (physical while paging is off; linear through QEMU's
    # debug translation when it is on)
    def read_mem(self, addr, length):
        out = b""
        while length > 0:
            n = min(length, 1000)
            r = self.cmd("m%x,%x" % (addr, n))
            if r.startswith("E"):
                raise RSPError("m%x,%x -> %s" % (addr, n, r))
            out += bytes.fromhex(r)
            addr += n
            length -= n
        return out

    def write_mem(self, addr, data):
        while data:
            chunk = data[:1000]
            r = self.cmd("M%x,%x:%s" % (addr, len(chunk), chunk.hex()))
            if r != "OK":
                raise RSPError("M%x -> %s" % (addr, r))
            addr += len(chunk)
            data = data[1000:]

    def step(self):
        return self.cmd("s")

    def xfer(self, annex):
        out = ""
        off = 0
        while True:
            r = self.cmd("qXfer:features:read:%s:%x,%x" % (annex, off, 4000))
            out += r[1:]
            off += len(r) - 1
            if r[0] == "l":
                return out
