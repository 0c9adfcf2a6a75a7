#!/usr/bin/python3
"""Drive xqueue-server with python-requests, the HTTP library of the real clients,
behaving exactly as they do (see the protocol research notes):

- the LMS (edx-platform XQueueInterface): a fresh requests.Session per submission; the
  first submit is unauthenticated, requests follows the 302 to GET /xqueue/login/?next=...,
  which answers login_required; the LMS logs in and resubmits once;
- xqueue-watcher: GET /xqueue/login/ (CSRF prefetch), POST login with Referer, then
  get_submission without following redirects and put_result (body first, then header),
  with a 1 s client timeout; on 301/302/401/403 it logs in again and retries once;
- an LMS callback receiver that checks what edx-platform's xqueue_callback checks.

Usage: real_clients_test.py XQUEUE_SERVER XQUEUE_ADMIN
Prints "N passed, M failed" and exits non-zero on any failure.
"""

import http.server
import json
import sys
import threading
import time
import urllib.parse

import requests

from checks import Server, check, summary


class Lms:
    """The callback side of the LMS (clients.md section 4)."""

    def __init__(self):
        self.pending = {}
        self.graded = {}
        self.problems = []
        self.lock = threading.Lock()
        lms = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
                parts = self.path.split("/")
                status = lms.receive(parts, form)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def callback_url(self, user, usage):
        return "http://127.0.0.1:%d/courses/course-v1:Org+C101+2026/xqueue/%s/%s/score_update" % (self.port, user, usage)

    def receive(self, parts, form):
        # /courses/<course>/xqueue/<user>/<usage>/<dispatch>
        if len(parts) != 7 or parts[1] != "courses" or parts[3] != "xqueue":
            return 404
        if "xqueue_header" not in form or "xqueue_body" not in form:
            return 404
        header = json.loads(form["xqueue_header"][0])
        if "lms_key" not in header:
            return 404
        grade = json.loads(form["xqueue_body"][0])
        if not all(k in grade for k in ("correct", "score", "msg")):
            with self.lock:
                self.problems.append("invalid grader reply")
            return 200
        key = (parts[4], parts[5])
        with self.lock:
            if self.pending.get(key) != header["lms_key"]:
                self.problems.append("stale or duplicate callback for %s" % (key,))
                return 200
            del self.pending[key]
            self.graded[key] = grade
        return 200


def lms_submit(base, lms, user, usage, response, queue="tmp", files=None):
    """One submission exactly as XQueueInterface sends it: 4 requests on a new session.
    files: {name: bytes}; sent as the LMS does, one part per file whose field name and
    file name are the file's name, without a part Content-Type (rewound for the resubmit)."""
    key = "%032x" % abs(hash((user, usage, time.time())))
    with lms.lock:
        lms.pending[(user, usage)] = key
    header = json.dumps({"lms_callback_url": lms.callback_url(user, usage), "lms_key": key, "queue_name": queue})
    body = json.dumps({"grader_payload": "{\"grader\": \"sq.py\"}", "student_info": json.dumps({"anonymous_student_id": user}),
                       "student_response": response})
    session = requests.Session()
    data = {"xqueue_header": header, "xqueue_body": body}

    def upload():
        return {name: (name, content) for name, content in files.items()} if files else None

    reply = session.post(base + "/xqueue/submit/", data=data, files=upload(), timeout=(3.05, 10)).json()
    if reply["return_code"] == 1 and reply["content"] == "login_required":
        login = session.post(base + "/xqueue/login/", data={"username": "lms", "password": "lmspass"}, timeout=(3.05, 10)).json()
        if login["return_code"] != 0:
            return login
        reply = session.post(base + "/xqueue/submit/", data=data, files=upload(), timeout=(3.05, 10)).json()
    return reply


class Watcher:
    """xqueue-watcher's client loop (clients.md section 1.2)."""

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()
        self.logins = 0

    def login(self):
        self.session.cookies.clear()
        self.session.get(self.base + "/xqueue/login/", timeout=1)
        reply = self.session.post(self.base + "/xqueue/login/", data={"username": "grader", "password": "graderpass"},
                                  headers={"Referer": self.base + "/xqueue/login/"}, timeout=1)
        self.logins += 1
        return reply.status_code == 200 and reply.json()["return_code"] == 0

    def request(self, method, url, **kwargs):
        reply = self.session.request(method, url, allow_redirects=False, timeout=1, **kwargs)
        if reply.status_code in (301, 302, 401, 403):
            self.login()
            reply = self.session.request(method, url, allow_redirects=False, timeout=1, **kwargs)
        return reply

    def process_one(self, queue="tmp", fetched=None):
        reply = self.request("GET", self.base + "/xqueue/get_submission/", params={"queue_name": queue}).json()
        if reply["return_code"] != 0:
            return None
        content = json.loads(reply["content"])
        if fetched is not None:
            # Graders download each file with a plain GET on its URL (no session).
            for name, url in json.loads(content["xqueue_files"]).items():
                fetched[name] = requests.get(url, timeout=5).content
        submission = json.loads(content["xqueue_body"])
        correct = submission["student_response"].strip() == "def square(x): return x * x"
        grade = json.dumps({"correct": correct, "score": 1.0 if correct else 0.0,
                            "msg": "<div class=\"test\">%s</div>" % ("CORRECT" if correct else "INCORRECT")})
        put = self.request("POST", self.base + "/xqueue/put_result/",
                           data={"xqueue_body": grade, "xqueue_header": content["xqueue_header"]}).json()
        return put


def main():
    # Sessions are remembered 0.2 s (xqueue.auth.session_cache_lifetime): a password
    # changed by xqueue-admin ends a session within that.
    server = Server(sys.argv[1], sys.argv[2], properties=("xqueue.auth.session_cache_lifetime = 0.2",),
                    users=(("lms", "lmspass", ()), ("grader", "graderpass", ())))
    base = server.base
    try:
        lms = Lms()

        first = lms_submit(base, lms, "42", "block-v1:Org+C101+2026+type@problem+block@aa", "def square(x): return x * x")
        check("LMS: unauthenticated submit -> 302 -> login_required -> login -> resubmit", first == {"return_code": 0, "content": "1"}, str(first))
        second = lms_submit(base, lms, "43", "block-v1:Org+C101+2026+type@problem+block@aa", "def square(x): return x + x")
        check("LMS: second submission, queue length as a string", second == {"return_code": 0, "content": "2"}, str(second))

        watcher = Watcher(base)
        check("watcher: login dance (GET prefetch, POST with Referer)", watcher.login())
        check("watcher: first grade posted", watcher.process_one() == {"return_code": 0, "content": ""})

        # A password change ends the watcher's session: it must get a 302 and re-login.
        server.admin(["user", "set", "grader"], "graderpass\n")
        time.sleep(0.3)
        logins = watcher.logins
        check("watcher: re-login after its session ended, then grade", watcher.process_one() == {"return_code": 0, "content": ""})
        check("watcher: exactly one re-login", watcher.logins == logins + 1, str(watcher.logins - logins))
        check("watcher: empty queue", watcher.process_one() is None)

        deadline = time.time() + 10
        while time.time() < deadline and lms.pending:
            time.sleep(0.05)
        check("LMS: both grades received, nothing pending", not lms.pending, str(lms.pending))
        check("LMS: no stale, duplicate or invalid callbacks", not lms.problems, str(lms.problems))
        graded = {k[0]: v["correct"] for k, v in lms.graded.items()}
        check("LMS: each student got their own grade", graded == {"42": True, "43": False}, str(graded))

        # Files, as a filesubmission problem sends them; the first attempt is unauthenticated
        # and carries the whole upload, which must not cost the LMS a connection error.
        files = {"solution.py": b"def square(x): return x * x\n", "r\u00e9sum\u00e9 data.bin": bytes(range(256)) * 12288}
        with_files = lms_submit(base, lms, "44", "block-v1:Org+C101+2026+type@problem+block@bb", "", files=files)
        check("LMS: multipart submit with files (3 MB) through the login dance", with_files == {"return_code": 0, "content": "1"}, str(with_files))
        fetched = {}
        graded = watcher.process_one(fetched=fetched)
        check("watcher: files fetched byte for byte from their URLs", fetched == files, str({k: len(v) for k, v in fetched.items()}))
        check("watcher: grade for the submission with files posted", graded == {"return_code": 0, "content": ""}, str(graded))

        # A Python client posting to the slash-less URL follows the 301 as a GET (as in the old server).
        reply = requests.post(base + "/xqueue/submit", data={"a": "b"}, timeout=1)
        check("slash-less POST is redirected (301) and lands on the login trigger",
              reply.history and reply.history[0].status_code == 301 and reply.json()["content"] == "login_required",
              str([r.status_code for r in reply.history]))
    finally:
        server.stop()

    return summary()


if __name__ == "__main__":
    sys.exit(main())
