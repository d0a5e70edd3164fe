#!/usr/bin/env python3
"""Fifty sessions posting grades at once (SPEC §11, §14): every grade recorded
exactly once, a re-sent grade unchanged, two different grades for one case at
once: one recorded and the other refused, and the database intact."""
import re
import threading

from webtest import Env, Server, check, finish

env = Env("fixture_many.sh")
s = Server(env)
alloc = env.q("SELECT auditor, case_id FROM round_case ORDER BY auditor, seq")
by_auditor = {}
for a, c in alloc:
    by_auditor.setdefault(a, []).append(c)
auditors = sorted(by_auditor)
check(len(auditors) == 10 and all(len(v) == 10 for v in by_auditor.values()), "ten auditors with ten cases each")

# 50 sessions: five per auditor, each with its own case to grade.
sessions = []
for i in range(50):
    who = auditors[i % 10]
    st, tok, _ = s.login(who)
    check(st == 303 and tok, f"login {i} as {who}")
    sessions.append((who, tok, s.csrf(tok, "/my"), by_auditor[who][i // 10]))


def post_all(jobs):
    """Posts every job at the same moment (a barrier); returns the statuses."""
    barrier = threading.Barrier(len(jobs))
    out = [None] * len(jobs)

    def run(k, job):
        who, tok, csrf, case, grade = job
        barrier.wait()
        st, _, body = s.request("POST", f"/audit/2026-11/{case}", {"csrf": csrf, "grade": grade,
                                                                     "audit_date": "2026-11-20"}, cookie=tok)
        out[k] = (st, body)

    threads = [threading.Thread(target=run, args=(k, j)) for k, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


jobs = [(w, t, c, case, str(1 + k % 4)) for k, (w, t, c, case) in enumerate(sessions)]
res = post_all(jobs)
check(all(st == 303 for st, _ in res), f"50 grades at once: statuses {sorted(set(st for st, _ in res))}")
rows = env.q("SELECT case_id, grade, auditor, entered_by FROM audit ORDER BY case_id")
want = sorted((case, 1 + k % 4, w, w) for k, (w, _, _, case) in enumerate(sessions))
check(rows == want, "every grade recorded exactly once, by its auditor")
check(env.q("SELECT count(*) FROM event WHERE command = 'grade'") == [(50,)], "50 grade events")

# The same 50 again (a re-sent form): unchanged, nothing new written.
res = post_all(jobs)
check(all(st == 303 for st, _ in res), "the re-sent grades are accepted as unchanged")
check(env.q("SELECT count(*) FROM audit") == [(50,)], "nothing written twice")

# Two sessions of one auditor give one ungraded case different grades at once.
w = auditors[0]
free_case = by_auditor[w][5]
mine = [x for x in sessions if x[0] == w][:2]
res = post_all([(w, mine[0][1], mine[0][2], free_case, "1"), (w, mine[1][1], mine[1][2], free_case, "4")])
sts = sorted(st for st, _ in res)
check(sts == [303, 422], f"one recorded, one refused: {sts}")
refused = [b for st, b in res if st == 422]
check(refused and re.search(rb"already has a different grade", refused[0]) is not None, "the refusal says why")
check(env.q(f"SELECT count(*) FROM audit WHERE case_id = '{free_case}'") == [(1,)], "one audit for that case")
check(env.q("PRAGMA integrity_check") == [("ok",)], "integrity_check")
check(env.q("PRAGMA foreign_key_check") == [], "foreign_key_check")
rc, err = s.stop()
check(rc == 0, f"clean stop: {rc} {err}")
env.cleanup()
finish("web/test_concurrency")
