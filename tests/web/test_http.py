#!/usr/bin/env python3
"""The web front end over HTTP (SPEC §14): every route's access rule, CSRF and
Origin, lockout, session expiry by $CASEAUDIT_NOW, escaping, the headers of every
response and the cookie's attributes; writes through the library with the
logged-in person as the actor."""
import hashlib
import os
import re
import shutil
import subprocess
import sys

from webtest import CSP, NOW, Env, Server, check, finish

env = Env()
ann_cases = [r[0] for r in env.q("SELECT case_id FROM round_case WHERE auditor = 'Ann' ORDER BY seq")]
bob_cases = [r[0] for r in env.q("SELECT case_id FROM round_case WHERE auditor = 'Bob' ORDER BY seq")]
graded = ann_cases[0]          # graded by Ann in the fixture, and picked for moderation
todo = ann_cases[1]
s = Server(env)

# --- no session: every page but the login redirects there; a POST is refused ---
for path in ["/", "/my", f"/audit/2026-11/{todo}", "/moderation", f"/moderate/2026-11/{graded}", "/report",
             "/rounds/2026-11/list.xlsx", "/evidence?format=csv", "/no-such-page"]:
    st, h, _ = s.get(path)
    check(st == 303 and h.get("location") == "/login", f"GET {path} without a session: {st} {h.get('location')}")
st, h, _ = s.get("/login")
check(st == 200, "GET /login")
before = env.dump()
st, _, _ = s.request("POST", f"/audit/2026-11/{todo}", {"grade": "2"})
check(st == 403, f"POST without a session: {st}")
check(env.dump() == before, "a POST without a session changed the database")

# --- login: the cookie, a new session each time, only a hash stored ---
st, _, body = s.login("Ann", "wrong password!")
check(st == 401 and b"The name or the password is wrong." in body, f"wrong password: {st}")
st, h, _ = s.request("POST", "/login", {"name": "Ann", "password": "correct horse battery"})
check(st == 303 and h.get("location") == "/my", f"login as Ann: {st} {h.get('location')}")
cookie = h["set-cookie-all"][0] if h["set-cookie-all"] else ""
m = re.fullmatch(r"caseaudit=([0-9a-f]{64}); HttpOnly; SameSite=Strict; Path=/", cookie)
check(m is not None, f"the cookie's attributes (no Secure without TLS): {cookie!r}")
ann = m.group(1) if m else ""
_, ann2, _ = s.login("Ann")
check(ann2 and ann2 != ann, "a second login gives a new session")
stored = [r[0] for r in env.q("SELECT token_hash FROM session")]
# The stored value is BLAKE2b-256 of the 32 token bytes (libsodium's crypto_generichash), never the token.
check(hashlib.blake2b(bytes.fromhex(ann), digest_size=32).hexdigest() in stored, "the session's hash is stored")
check(ann not in env.dump(), "the token itself is in the database")
st, h, _ = s.get("/login", ann)
check(st == 303 and h.get("location") == "/my", f"GET /login when logged in goes to the first page: {st}")
_, bob, _ = s.login("Bob")
_, mo, _ = s.login("Mo")
_, quinn, _ = s.login("Quinn")
check(all([bob, mo, quinn]), "Bob, Mo and Quinn log in")
check(s.login("  ann  ")[0] == 303, "names are matched ignoring case and spaces")
check(s.login("Nobody")[0] == 401, "an unknown name is refused like a wrong password")

# --- wrong role: 403; another auditor's case: 404 ---
for who, tok, path in [("Ann", ann, "/report"), ("Ann", ann, "/moderation"), ("Ann", ann, "/rounds/2026-11/list.xlsx"),
                       ("Ann", ann, f"/moderate/2026-11/{graded}"), ("Mo", mo, "/my"),
                       ("Mo", mo, f"/audit/2026-11/{todo}"), ("Quinn", quinn, "/my"), ("Bob", bob, "/report?quarter=2026Q4"),
                       ("Ann", ann, "/evidence"), ("Mo", mo, "/evidence?format=csv")]:
    st, _, _ = s.get(path, tok)
    check(st == 403, f"{who} GET {path}: {st}, expected 403")
st, _, _ = s.get(f"/audit/2026-11/{bob_cases[0]}", ann)
check(st == 404, f"Ann opens Bob's case: {st}")
st, _, _ = s.get("/audit/2026-11/NOT-A-CASE", ann)
check(st == 404, f"a case on no list: {st}")
tok = s.csrf(ann, "/my")
before = env.dump()
st, _, _ = s.request("POST", f"/audit/2026-11/{bob_cases[0]}", {"csrf": tok, "grade": "2", "audit_date": "2026-11-20"},
                     cookie=ann)
check(st == 404 and env.dump() == before, f"Ann grades Bob's case: {st}, database unchanged")

# --- CSRF and Origin: 403 and nothing written ---
form = {"csrf": tok, "grade": "2", "audit_date": "2026-11-20"}
for what, f, origin in [("no token", {k: v for k, v in form.items() if k != "csrf"}, "same"),
                        ("a wrong token", dict(form, csrf="0" * 64), "same"),
                        ("another session's token", dict(form, csrf=s.csrf(bob, "/my")), "same"),
                        ("a foreign Origin", form, "http://evil.example"),
                        ("another port as Origin", form, f"http://127.0.0.1:{s.port + 1}"),
                        ("no Origin", form, None),
                        ("Origin null without Sec-Fetch-Site", form, "null"),
                        ("Origin null from another site", form, ("null", "cross-site")),
                        ("Origin null from a same-site page", form, ("null", "same-site"))]:
    before = env.dump()
    extra = {}
    if isinstance(origin, tuple):
        origin, extra = origin[0], {"Sec-Fetch-Site": origin[1]}
    st, _, _ = s.request("POST", f"/audit/2026-11/{todo}", f, cookie=ann, origin=origin, headers=extra)
    check(st == 403, f"POST with {what}: {st}")
    check(env.dump() == before, f"POST with {what} changed the database")
before = env.dump()
st, _, _ = s.request("POST", "/logout", {}, cookie=ann)
check(st == 403 and env.dump() == before, "logout without the token is refused")

# A browser posts "Origin: null" from our pages (Referrer-Policy: no-referrer) with
# Sec-Fetch-Site: same-origin, which a page cannot forge: accepted (here: a refusal by the rules, 422).
st, _, _ = s.request("POST", f"/audit/2026-11/{todo}", dict(form, audit_date="2026-12-01"), cookie=ann, origin="null",
                     headers={"Sec-Fetch-Site": "same-origin"})
check(st == 422, f"Origin null with Sec-Fetch-Site same-origin reaches the form: {st}")

# --- a grade through the form: problems beside fields, then recorded as Ann ---
st, _, body = s.request("POST", f"/audit/2026-11/{todo}", dict(form, audit_date="2026-12-01"), cookie=ann)
check(st == 422, f"a future date: {st}")
check(re.search(rb'<p class="field-problem" id="audit_date-problem">the audit date 01/12/2026 is in the future '
                rb'\(today is 24/11/2026\)</p>', body) is not None, "the date's problem beside the date field")
note = '"><img src=x onerror=alert(1)>'
st, h, _ = s.request("POST", f"/audit/2026-11/{todo}",
                     dict(form, grade="3", domain_voice="2", action="Update the plan", action_due="2026-12-10",
                          note=note), cookie=ann)
check(st == 303, f"Ann grades {todo}: {st}")
rows = env.q(f"SELECT grade, auditor, audit_date, note, entered_by FROM audit WHERE case_id = '{todo}'")
check(rows == [(3, "Ann", "2026-11-20", note, "Ann")], f"the audit as recorded: {rows}")
check(env.q(f"SELECT domain, audit_domain.grade FROM audit_domain JOIN audit ON audit.id = audit_id WHERE case_id = '{todo}'")
      == [("voice", 2)], "the domain grade")
check(env.q(f"SELECT text, due FROM action WHERE case_id = '{todo}'") == [("Update the plan", "2026-12-10")], "the action")
hist = env.ca("history", todo).stdout
check(re.search(r"Ann\s+grade\s+2026-11\s+" + todo, hist) is not None, "caseaudit history shows Ann did it")
st, _, body = s.get(f"/audit/2026-11/{todo}", ann)
check(note.encode() not in body and b"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in body,
      "the note is rendered as text")
check(b"Correct the grade" in body and b'name="correct" value="yes"' in body, "a graded case offers a correction")
before = env.dump()
st, _, body = s.request("POST", f"/audit/2026-11/{todo}", dict(form, grade="4"), cookie=ann)
check(st == 422 and b'id="grade-problem">case' in body and b"already has a different grade" in body and
      env.dump() == before, f"a different grade without the correction flag: {st}")
st, _, body = s.request("POST", f"/audit/2026-11/{todo}", dict(form, grade="4", correct="yes"), cookie=ann)
check(st == 303 and env.q(f"SELECT grade FROM audit_current WHERE case_id = '{todo}'") == [(4,)],
      "the correction is recorded")
check(env.q(f"SELECT count(*) FROM audit WHERE case_id = '{todo}'") == [(2,)], "the history keeps both")

# --- markup in a team's name is text everywhere ---
st, _, body = s.get("/my", bob)
check(st == 200 and b"<script>alert(1)</script>" not in body and b"&lt;script&gt;alert(1)&lt;/script&gt;" in body,
      "a team named <script> is text on /my")
script_case = env.q("SELECT case_id FROM round_case WHERE auditor = 'Bob' AND team LIKE '<script>%' LIMIT 1")
if script_case:
    st, _, body = s.get(f"/audit/2026-11/{script_case[0][0]}", bob)
    check(b"<script>" not in body, "a team named <script> is text on the case page")

# --- the manager: a reason is required when the grade changes ---
st, _, body = s.get("/moderation", mo)
check(st == 200 and graded.encode() in body and b"Pending" in body, "Mo sees the picked audit pending")
mtok = s.csrf(mo, "/moderation")
st, _, body = s.request("POST", f"/moderate/2026-11/{graded}", {"csrf": mtok, "grade": "3",
                                                                 "moderation_date": "2026-11-23"}, cookie=mo)
check(st == 422 and b'id="reason-problem">a reason is required when the grade changes' in body,
      f"a downgrade without a reason: {st}")
st, _, _ = s.request("POST", f"/moderate/2026-11/{graded}", {"csrf": mtok, "grade": "3", "moderation_date": "2026-11-23",
                                                             "reason": "Plan out of date"}, cookie=mo)
check(st == 303, f"Mo downgrades: {st}")
check(env.q(f"SELECT grade, moderator, reason, entered_by FROM moderation WHERE case_id = '{graded}'")
      == [(3, "Mo", "Plan out of date", "Mo")], "the moderation as recorded")
st, _, _ = s.get(f"/moderate/2026-11/{todo}", mo)
check(st == 404, f"an audit not picked for moderation: {st}")

# --- the QA lead ---
st, _, body = s.get("/", quinn)
check(st == 200 and b"2026-11" in body and b"/rounds/2026-11/list.xlsx" in body, "Quinn's rounds page")
st, h, body = s.get("/report?quarter=2026Q4", quinn)
check(st == 200 and b"Case audit report: 2026Q4" in body and b"<style>" not in body, "the html report, style moved out")
check(b'href="/report?quarter=2026Q4&amp;format=xlsx"' in body, "the report offers its xlsx")
for fmt, ctype, start in [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
                          ("csv", "text/csv; charset=utf-8", b"section,"), ("json", "application/json", b"{"),
                          ("md", "text/markdown; charset=utf-8", b"**OFFICIAL-SENSITIVE**")]:
    st, h, body = s.get(f"/report?quarter=2026Q4&format={fmt}", quinn)
    check(st == 200 and h.get("content-type") == ctype and body.startswith(start) and
          h.get("content-disposition") == f'attachment; filename="report-2026Q4.{fmt}"', f"the report as {fmt}: {st}")
st, _, body = s.get("/report?quarter=2026Q9", quinn)
check(st == 400, f"a wrong quarter: {st}")
st, h, body = s.get("/rounds/2026-11/list.xlsx", quinn)
check(st == 200 and body.startswith(b"PK\x03\x04") and h.get("cache-control") == "no-store", "the round's list.xlsx")
st, _, _ = s.get("/rounds/2099-01/list.xlsx", quinn)
check(st == 404, f"no such round: {st}")

# --- the inspection evidence pack: the graded case is in every format, as a download ---
st, _, body = s.get("/", quinn)
check(b'href="/evidence"' in body, "the rounds page links the evidence pack")
st, _, body = s.get("/evidence", quinn)
check(st == 200 and b'href="/evidence?format=xlsx"' in body, f"the evidence page: {st}")
for fmt, ctype, start in [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
                          ("csv", "text/csv; charset=utf-8", b""), ("json", "application/json", b"{"),
                          ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>")]:
    st, h, body = s.get(f"/evidence?format={fmt}", quinn)
    check(st == 200 and h.get("content-type") == ctype and body.startswith(start) and h.get("cache-control") == "no-store"
          and h.get("content-disposition") == f'attachment; filename="evidence.{fmt}"', f"the evidence as {fmt}: {st}")
    check(fmt == "xlsx" or graded.encode() in body, f"the evidence as {fmt} names the graded case {graded}")
st, _, _ = s.get("/evidence?format=pdf", quinn)
check(st == 400, f"an unknown evidence format: {st}")

# --- logout ends the session ---
btok = s.csrf(bob, "/my")
st, h, _ = s.request("POST", "/logout", {"csrf": btok}, cookie=bob)
check(st == 303 and h.get("location") == "/login" and any("Max-Age=0" in c for c in h["set-cookie-all"]), "logout")
st, h, _ = s.get("/my", bob)
check(st == 303 and h.get("location") == "/login", "the ended session is refused")

# --- lockout: five failures within 15 minutes lock the name for 15 minutes ---
for i in range(5):
    st, _, _ = s.login("Bob", f"wrong {i}")
    check(st == 401, f"failure {i + 1}: {st}")
st, tok, body = s.login("Bob")
check(st == 429 and tok is None and b"locked" in body, f"the right password while locked: {st}")
check(env.q("SELECT count(*) FROM event WHERE command = 'login locked' AND detail LIKE '%Bob%'") == [(1,)],
      "the lock is in the event log")
check(s.login("Ann")[0] == 303, "another name is not locked")

# --- the headers on every response so far ---
s.get("/style.css")
for what, st, h in s.responses:
    check(h.get("content-security-policy") == CSP, f"{what}: Content-Security-Policy {h.get('content-security-policy')}")
    check(h.get("x-content-type-options") == "nosniff", f"{what}: X-Content-Type-Options")
    check(h.get("referrer-policy") == "no-referrer", f"{what}: Referrer-Policy")
    if not what.endswith(".css"):
        check(h.get("cache-control") == "no-store", f"{what}: Cache-Control {h.get('cache-control')}")
n = len(s.responses)
rc, err = s.stop()
check(rc == 0 and "the database is closed" in err, f"SIGTERM: exit {rc}, {err!r}")

# --- time moves ($CASEAUDIT_NOW, read per request): the lock ends, sessions expire ---
s = Server(env, now="2026-11-24T12:16:00Z")
check(s.login("Bob")[0] == 303, "the lock has ended after 15 minutes")
_, t0, _ = s.login("Ann")
s.stop()
s = Server(env, now="2026-11-24T12:45:00Z")        # 29 minutes idle: still live (and now seen at 12:45)
check(s.get("/my", t0)[0] == 200, "29 minutes idle: the session lives")
s.stop()
s = Server(env, now="2026-11-24T13:15:00Z")        # 30 minutes idle: ended
check(s.get("/my", t0)[0] == 303, "30 minutes idle: the session has ended")
check(s.get("/my", t0)[0] == 303, "and stays ended")
s.stop()
# Absolute expiry: a session used every few minutes still ends 10 hours after login.
s = Server(env, now="2026-11-24T12:16:00Z")
_, t1, _ = s.login("Ann")
s.stop()
h1 = hashlib.blake2b(bytes.fromhex(t1), digest_size=32).hexdigest()
env.q(f"UPDATE session SET last_seen = created + 35900 WHERE token_hash = '{h1}'")   # as if used until 9h58m20s
s = Server(env, now="2026-11-24T22:15:00Z")        # 9h59m after login
check(s.get("/my", t1)[0] == 200, "9 h 59 min after login: the session lives")
s.stop()
s = Server(env, now="2026-11-24T22:16:00Z")        # 10 h after login
check(s.get("/my", t1)[0] == 303, "10 h after login: the session has ended")
s.stop()

# --- serving the network needs TLS ---
r = env.ca("serve", "--listen", "0.0.0.0:0")
check(r.returncode == 1 and "is not a loopback address" in r.stderr, f"0.0.0.0 without TLS: {r.returncode} {r.stderr}")
r = env.ca("serve", "--tls-cert", "x.pem")
check(r.returncode == 2, "--tls-cert without --tls-key is a usage error")
# With TLS: any address, and the cookie is Secure.
if shutil.which("openssl"):
    cert, key = os.path.join(env.dir, "cert.pem"), os.path.join(env.dir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    s = Server(env, listen="0.0.0.0:0", extra=("--tls-cert", cert, "--tls-key", key))
    st, h, _ = s.request("POST", "/login", {"name": "Ann", "password": "correct horse battery"})
    check(st == 303 and re.fullmatch(r"caseaudit=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/; Secure",
                                     (h["set-cookie-all"] or [""])[0]) is not None, f"login over TLS: {st} {h}")
    check(h.get("content-security-policy") == CSP, "the headers over TLS")
    st, _, _ = s.request("POST", "/login", {"name": "Ann", "password": "x"}, origin=s.origin.replace("https", "http"))
    check(st == 403, f"an http:// Origin to the https server: {st}")
    s.stop()
else:
    print("note: openssl is not installed; the TLS checks were skipped", file=sys.stderr)
# The password is never an argument.
before = env.dump()
r = env.ca("people", "password", "Ann", "secretsecret")
check(r.returncode == 2 and "unexpected argument" in r.stderr and env.dump() == before,
      "people password with the password as an argument: refused, nothing changed")
r = env.ca("people", "password", "Ann", input="short\n")
check(r.returncode == 1 and "too short" in r.stderr, "a short password is refused")
r = env.ca("people", "password", "Nobody", input="long enough password\n")
check(r.returncode == 1, "a password for a name not in the register is refused")

print(f"{n} responses checked for their headers")
env.cleanup()
finish("web/test_http")
