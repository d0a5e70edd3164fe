"""webtest.py: what the web tests share (SPEC §14): a fixture database, a server
started on a free loopback port, and an HTTP client on http.client (no proxy, no
cookie jar: each test holds its cookies itself). Standard library only."""
import http.client
import os
import re
import shutil
import signal
import ssl
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse

CA = os.environ["CASEAUDIT"]
SRC = os.environ["SRC"]
NOW = "2026-11-24T12:00:00Z"
PASSWORD = "correct horse battery"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'")

failures = []


def check(cond, what):
    """Records a failed expectation (the test goes on, and fails at the end)."""
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def finish(name):
    if failures:
        print(f"FAIL: {name}: {len(failures)} expectation(s) failed", file=sys.stderr)
        sys.exit(1)
    print(f"PASS: {name}")


class Env:
    """A temporary folder with the fixture database (tests/web/fixture.sh)."""

    def __init__(self, fixture="fixture.sh", *args):
        self.dir = tempfile.mkdtemp(prefix="caseaudit-web-")
        self.db = os.path.join(self.dir, "t.db")
        self.env = dict(os.environ, CASEAUDIT_NOW=NOW, USER="tester", TMPDIR=self.dir)
        self.env.pop("CASEAUDIT_DB", None)
        subprocess.run(["bash", os.path.join(SRC, "tests/web", fixture), self.db, *args], env=self.env,
                       check=True, stdout=subprocess.DEVNULL)

    def ca(self, *args, input=None):
        return subprocess.run([CA, "--db", self.db, *args], env=self.env, capture_output=True, text=True,
                              input=input)

    def q(self, sql):
        with sqlite3.connect(self.db) as c:
            return c.execute(sql).fetchall()

    def dump(self):
        return subprocess.run(["sqlite3", self.db, ".dump"], capture_output=True, text=True, check=True).stdout

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """caseaudit serve on 127.0.0.1, any free port, with $CASEAUDIT_NOW = now."""

    def __init__(self, env, now=NOW, extra=(), listen="127.0.0.1:0"):
        self.env = env
        e = dict(env.env, CASEAUDIT_NOW=now)
        self.p = subprocess.Popen([CA, "--db", env.db, "serve", "--listen", listen, *extra], env=e,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        m = re.search(r"(https?)://[0-9.]+:(\d+)/", line)
        if not m:
            self.p.kill()
            raise RuntimeError("the server did not start: " + line + self.p.stderr.read())
        self.tls = m.group(1) == "https"
        self.port = int(m.group(2))
        self.origin = f"{m.group(1)}://127.0.0.1:{self.port}"
        self.responses = []   # every (path, status, headers) seen, for the header checks

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        out, err = self.p.communicate(timeout=60)
        return self.p.returncode, err

    def request(self, method, path, form=None, cookie=None, origin="same", headers=None):
        if self.tls:   # the test's own self-signed certificate
            c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=60,
                                            context=ssl._create_unverified_context())
        else:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        body = None
        if cookie:
            h["Cookie"] = "caseaudit=" + cookie
        if method == "POST":
            body = urllib.parse.urlencode(form or {}, doseq=True)
            h["Content-Type"] = "application/x-www-form-urlencoded"
            if origin == "same":
                h["Origin"] = self.origin
            elif origin:
                h["Origin"] = origin
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        hdrs["set-cookie-all"] = r.headers.get_all("Set-Cookie") or []
        c.close()
        self.responses.append((method + " " + path, r.status, hdrs))
        return r.status, hdrs, data

    def get(self, path, cookie=None):
        return self.request("GET", path, cookie=cookie)

    def login(self, name, password=PASSWORD):
        """Returns (status, token or None, body)."""
        st, h, body = self.request("POST", "/login", {"name": name, "password": password})
        tok = None
        for c in h["set-cookie-all"]:
            m = re.match(r"caseaudit=([0-9a-f]{64});", c)
            if m:
                tok = m.group(1)
        return st, tok, body

    def csrf(self, cookie, path):
        st, h, body = self.get(path, cookie)
        m = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body)
        return m.group(1).decode() if m else None
