#!/usr/bin/env python3
"""Load for scripts/galera-check: LMS submitters and pull graders on three hosts, a node of
the cluster killed under load, then every acknowledged submission followed to the LMS.
usage: galera_load.py SECONDS NODE_PID_FILE STATE_DIR"""
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests

SECONDS = float(sys.argv[1])
LEASE = 15  # xqueue.processing_delay of the hosts: a hand-out within it of the previous one is a double claim
NODE_PID_FILE = sys.argv[2]
HOSTS = ["http://127.0.0.1:%d" % (33300 + h) for h in (1, 2, 3)]
lock = threading.Lock()
delivered = {}       # submission number -> deliveries
acked = set()        # submissions the LMS got return_code 0 for
results = set()      # submissions whose put_result got return_code 0
handed = {}          # submission id -> when it was handed out, each time
errors = {"submit": 0, "grade": 0}
stop_submitting = threading.Event()
stop_grading = threading.Event()
counter = [0]


class Lms(BaseHTTPRequestHandler):
    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        n = int(self.path.split("/")[2])
        with lock:
            delivered[n] = delivered.get(n, 0) + 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


lms = ThreadingHTTPServer(("127.0.0.1", 0), Lms)
threading.Thread(target=lms.serve_forever, daemon=True).start()


def login(base, user):
    s = requests.Session()
    s.post(base + "/xqueue/login/", data={"username": user, "password": user + "-pass"}, timeout=10)
    return s


def submitter(base):
    s = None
    while not stop_submitting.is_set():
        with lock:
            counter[0] += 1
            n = counter[0]
        header = json.dumps({"lms_callback_url": "http://127.0.0.1:%d/cb/%d/score_update" % (lms.server_address[1], n),
                             "lms_key": "k%d" % n, "queue_name": "galera"})
        try:
            s = s or login(base, "lms")
            reply = s.post(base + "/xqueue/submit/", data={"xqueue_header": header, "xqueue_body": json.dumps({"n": n})}, timeout=10)
            if reply.status_code == 200 and reply.json()["return_code"] == 0:
                with lock:
                    acked.add(n)
                continue
        except (requests.RequestException, ValueError):
            s = None
        with lock:
            errors["submit"] += 1
        time.sleep(0.05)


def grader(base):
    s = None
    while not stop_grading.is_set():
        try:
            s = s or login(base, "grader")
            reply = s.get(base + "/xqueue/get_submission/", params={"queue_name": "galera"}, timeout=10)
            envelope = reply.json() if reply.status_code == 200 else {"return_code": 1}
            if envelope["return_code"] != 0:
                time.sleep(0.05)
                continue
            content = json.loads(envelope["content"])
            sid = json.loads(content["xqueue_header"])["submission_id"]
            n = json.loads(content["xqueue_body"])["n"]
            with lock:
                handed.setdefault(sid, []).append((time.time(), base))
            grade = json.dumps({"correct": True, "score": 1, "msg": str(n)})
            put = s.post(base + "/xqueue/put_result/", data={"xqueue_header": content["xqueue_header"], "xqueue_body": grade}, timeout=10)
            if put.status_code == 200 and put.json()["return_code"] == 0:
                with lock:
                    results.add(n)
                continue
        except (requests.RequestException, ValueError, KeyError):
            s = None
        with lock:
            errors["grade"] += 1
        time.sleep(0.05)


threads = [threading.Thread(target=submitter, args=(h,)) for h in HOSTS for _ in range(2)]
threads += [threading.Thread(target=grader, args=(h,)) for h in HOSTS for _ in range(2)]
started = time.time()
for t in threads:
    t.start()
time.sleep(SECONDS / 3)
with open(NODE_PID_FILE) as f:
    os.kill(int(f.read()), signal.SIGKILL)
killed_at = time.time()
with lock:
    before_kill = (len(acked), len(results))
print("   node2 killed at %.1f s: %d submissions and %d results acknowledged so far" % (killed_at - started, *before_kill))
time.sleep(SECONDS * 2 / 3)
stop_submitting.set()
load_seconds = time.time() - started
deadline = time.time() + 60 + 2 * LEASE
while time.time() < deadline:
    with lock:
        if acked <= set(delivered):
            break
    time.sleep(0.2)
stop_grading.set()
for t in threads:
    t.join()
with lock:
    lost = sorted(acked - set(delivered))
    doubles = [(a, b) for times in handed.values() for a, b in zip(times, times[1:]) if b[0] - a[0] < LEASE - 1]
    twice = len(doubles)
    for a, b in doubles[:5]:
        print('   double claim: %.2f s on %s, then %.2f s on %s' % (a[0] - started, a[1][-5:], b[0] - started, b[1][-5:]))
    again = sum(len(times) - 1 for times in handed.values())
    redelivered = sum(1 for c in delivered.values() if c > 1)
    results_lost = sorted(results - set(delivered))
    print("   %d submissions acknowledged (%.0f/s over %.0f s), %d submits refused or failed (during the failover)"
          % (len(acked), len(acked) / load_seconds, load_seconds, errors["submit"]))
    print("   %d results acknowledged, %d grader calls failed; %d hand-outs of %d submissions"
          % (len(results), errors["grade"], sum(len(t) for t in handed.values()), len(handed)))
    print("   lost acknowledged submissions: %d; lost acknowledged results: %d" % (len(lost), len(results_lost)))
    print("   hand-outs again after a lease ended (the grader's call failed): %d; within a live lease (double claims): %d" % (again - twice, twice))
    print("   grades delivered more than once (at least once; the LMS ignores copies): %d" % redelivered)
for n in lost[:5]:
    # What the database says of it (node1's socket).
    import subprocess
    row = subprocess.run(["mariadb", "--no-defaults", "-uroot", "--socket=" + os.path.join(sys.argv[3], "node1", "sock"), "-N", "-e",
                          "SELECT id, state, lease_count, lease_expires_at - UNIX_TIMESTAMP(NOW(6)) * 1000000, retire_reason FROM xqueue.submissions"
                          " WHERE lms_callback_url LIKE '%%/cb/%d/%%'" % n], capture_output=True, text=True).stdout.strip()
    print("   lost %d: %s" % (n, row or "no row"))
ok = not lost and not results_lost and twice == 0
print("galera-check: " + ("PASSED" if ok else "FAILED"))
sys.exit(0 if ok else 1)
