"""A minimal Language Server Protocol client over a child process's
stdin/stdout, for the tests and tools/bench-lsp.py (standard library only)."""
import json
import os
import select
import subprocess


class Client:
    def __init__(self, argv, cwd=None, env=None):
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 1
        self.pending = []  # notifications read while waiting for a response
        self.buf = b""

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def _fill(self, timeout):
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise TimeoutError("no message from the server in %ss" % timeout)
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError("the server closed its output")
        self.buf += chunk

    def read(self, timeout=10):
        """The next message, exactly as framed by the server."""
        while b"\r\n\r\n" not in self.buf:
            self._fill(timeout)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        n = int(headers[b"Content-Length"])
        while len(rest) < n:
            self.buf = head + b"\r\n\r\n" + rest
            self._fill(timeout)
            head, rest = self.buf.split(b"\r\n\r\n", 1)
        self.buf = rest[n:]
        return json.loads(rest[:n])

    def response(self, rid, timeout=10):
        """The response to request `rid`; notifications before it are kept."""
        while True:
            msg = self.read(timeout)
            if msg.get("id") == rid and "method" not in msg:
                return msg
            self.pending.append(msg)

    def call(self, method, params):
        return self.response(self.request(method, params))

    def notification(self, method, timeout=10):
        """The next notification named `method` (kept ones first)."""
        for i, msg in enumerate(self.pending):
            if msg.get("method") == method:
                return self.pending.pop(i)
        while True:
            msg = self.read(timeout)
            if msg.get("method") == method:
                return msg
            self.pending.append(msg)

    def no_message(self, timeout=0.3):
        """True if the server sends nothing for `timeout` seconds."""
        if self.pending or self.buf:
            return False
        try:
            self._fill(timeout)
        except TimeoutError:
            return True
        return False

    def close(self):
        self.proc.stdin.close()
        return self.proc.wait(timeout=10)
