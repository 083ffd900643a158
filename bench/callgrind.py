#!/usr/bin/env python3
"""User-space instructions per request of `palbase serve`, under valgrind callgrind.

    bench/callgrind.py BINARY [--project DIR] [--endpoint e1|e3|both] [--warmup 500] [--requests 3000]
    bench/callgrind.py - --endpoint e1 --command '…/peer-limit --port {port} --threads 1'

Copies the bench project (default ../shared/bench/palbase/project) to a temporary directory,
starts `BINARY serve … --threads 1 --no-watch` under callgrind with instrumentation on, sends
the warm-up requests over one keep-alive connection, dumps the counters so far (start-up and
warm-up, set aside; a dump also zeroes them), sends the measured requests, dumps again and prints
that dump's total Ir / requests. The dump files stay in the printed directory (run with
`--compress-strings=no`, so each reads on its own).
"""

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Conn:
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self, port: int):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: callgrind-bench\r\nAccept: */*\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.s.sendall(head.encode() + b"\r\n" + (body or b""))
        while b"\r\n\r\n" not in self.buf:
            self.recv()
        h, rest = self.buf.split(b"\r\n\r\n", 1)
        lines = h.decode().split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for l in lines[1:]:
            k, v = l.split(":", 1)
            if k.lower() == "content-length":
                length = int(v)
        while len(rest) < length:
            self.recv()
            rest = self.buf.split(b"\r\n\r\n", 1)[1]
        self.buf = rest[length:]
        return status, rest[:length]

    def recv(self):
        d = self.s.recv(65536)
        if not d:
            raise ConnectionError("closed")
        self.buf += d


def wait_up(port: int, timeout: float = 180.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = Conn(port)
            st, _ = c.request("GET", "/hello?name=x")
            if st == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("server did not come up")


def measure(binary: str, project: str, endpoint: str, warmup: int, requests: int, command: str | None = None) -> dict:
    work = tempfile.mkdtemp(prefix="pb-callgrind-")
    shutil.copytree(project, os.path.join(work, "project"))
    os.system(f"chmod -R u+w {work}")
    port = free_port()
    outdir = os.path.join(work, "out")
    os.mkdir(outdir)
    served = [binary, "serve", os.path.join(work, "project"), "--port", str(port), "--threads", "1", "--no-watch"]
    if command is not None:
        served = [a.replace("{port}", str(port)) for a in command.split()]
    cmd = ["valgrind", "--tool=callgrind", "--compress-strings=no", "--compress-pos=no", f"--callgrind-out-file={outdir}/callgrind.out.%p", *served]
    log = open(os.path.join(work, "server.log"), "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_up(port)
        c = Conn(port)
        if endpoint == "e1":
            path, expect = "/hello?name=x", 200
        else:
            st, body = c.request("POST", "/todos", json.dumps({"title": "benchmark todo", "done": False}).encode())
            assert st == 200, (st, body)
            path, expect = "/todos/" + json.loads(body)["id"], 200
        for _ in range(warmup):
            st, body = c.request("GET", path)
            assert st == expect, (st, body)
        # Dump what start-up and warm-up cost (kept apart), then count from zero.
        subprocess.run(["callgrind_control", "--dump=warmup", str(p.pid)], check=True, capture_output=True)
        before = set(glob.glob(os.path.join(outdir, "*")))
        t0 = time.time()
        for _ in range(requests):
            st, body = c.request("GET", path)
            assert st == expect, (st, body)
        elapsed = time.time() - t0
        subprocess.run(["callgrind_control", "--dump=measured", str(p.pid)], check=True, capture_output=True)
        time.sleep(0.5)
        after = sorted(set(glob.glob(os.path.join(outdir, "*"))) - before)
        ir = 0
        for f in after:
            with open(f) as fh:
                for line in fh:
                    if line.startswith("totals:") or line.startswith("summary:"):
                        ir += int(line.split()[1])
                        break
        return {"endpoint": endpoint, "requests": requests, "ir": ir, "ir_per_request": ir / requests, "seconds": elapsed, "dumps": after, "body": body.decode()}
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--project", default=os.path.join(here, "..", "..", "shared", "bench", "palbase", "project"))
    ap.add_argument("--endpoint", default="both", choices=["e1", "e3", "both"])
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--command", help="measure this server instead (e.g. the bare hyper limit: 'PATH/peer-limit --port {port} --threads 1'); BINARY is then ignored")
    a = ap.parse_args()
    for e in (["e1", "e3"] if a.endpoint == "both" else [a.endpoint]):
        r = measure(a.binary, a.project, e, a.warmup, a.requests, a.command)
        print(f"{e}: {r['ir_per_request']:.0f} Ir/request ({r['ir']} Ir over {r['requests']} requests, {r['seconds']:.1f} s) body={r['body'][:80]}")
        for d in r["dumps"]:
            print(f"   {d}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
