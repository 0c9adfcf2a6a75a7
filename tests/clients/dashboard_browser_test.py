#!/usr/bin/python3
"""The operator dashboard end to end in a real browser: headless Chromium (Debian's
package) driven over the DevTools protocol (python3-websocket), against a real
xqueue-server with an LMS that is down and then back.

- the page loads and asks an operator to log in; a non-operator is refused;
- after submissions it shows the queue's depth, and Chart.js drew the charts;
- a delivery parked while the LMS was down appears, and its Resend button gets it to the
  LMS once the LMS is back.

Usage: dashboard_browser_test.py XQUEUE_SERVER XQUEUE_ADMIN
"""

import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import requests
import websocket

from checks import Server, check, summary


def wait_for(condition, timeout=15.0, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


class Lms:
    """Answers callbacks with self.status (500 while 'down')."""

    def __init__(self):
        self.status = 500
        self.received = []
        lms = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                lms.received.append((self.path, lms.status))
                self.send_response(lms.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, suffix):
        return "http://127.0.0.1:%d/courses/c/xqueue/%s/score_update" % (self.server.server_address[1], suffix)

    def delivered(self):
        return [path for path, status in self.received if status == 200]


class Browser:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="xqueue-chromium-")
        self.process = subprocess.Popen(
            ["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--remote-debugging-port=0", "--remote-allow-origins=*",
             "--user-data-dir=" + self.profile, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        if not wait_for(lambda: os.path.exists(port_file) and open(port_file).read().strip(), timeout=30):
            raise RuntimeError("Chromium did not start")
        port = int(open(port_file).read().split()[0])
        pages = wait_for(lambda: [t for t in json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port))
                                  if t["type"] == "page"], timeout=10)
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})

    def navigate(self, url):
        self.send("Page.navigate", url=url)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.kill()
            self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def main():
    server = Server(sys.argv[1], sys.argv[2],
                    properties=("xqueue.delivery.retry.max_delay = 0.1", "xqueue.delivery.retry.horizon = 1",
                                "xqueue.delivery.poll_interval = 0.1", "xqueue.dashboard.sample_interval = 0.2"),
                    users=(("operator", "oppass", ["--role=admin"]), ("lms", "lmspass", ["--role=lms", "--queues=tmp"]),
                           ("grader", "graderpass", ["--role=grader", "--queues=tmp"])))
    base = server.base
    browser = None
    try:
        lms = Lms()
        submitter = requests.Session()
        submitter.post(base + "/xqueue/login/", data={"username": "lms", "password": "lmspass"})
        for i in range(4):
            header = json.dumps({"lms_callback_url": lms.url("u%d" % i), "lms_key": "k%d" % i, "queue_name": "tmp"})
            submitter.post(base + "/xqueue/submit/", data={"xqueue_header": header, "xqueue_body": "{}"})
        grader = requests.Session()
        grader.post(base + "/xqueue/login/", data={"username": "grader", "password": "graderpass"})
        content = json.loads(grader.get(base + "/xqueue/get_submission/", params={"queue_name": "tmp"}).json()["content"])
        grader.post(base + "/xqueue/put_result/", data={"xqueue_header": content["xqueue_header"],
                                                        "xqueue_body": json.dumps({"correct": True, "score": 1, "msg": "ok"})})

        # The API without a session, as a non-operator, and a POST without the CSRF header.
        check("API: 401 without a session", requests.get(base + "/xqueue/dashboard/api/overview").status_code == 401)
        check("API: 403 for a user who is not an operator",
              submitter.get(base + "/xqueue/dashboard/api/overview").status_code == 403)
        operator = requests.Session()
        operator.post(base + "/xqueue/login/", data={"username": "operator", "password": "oppass"})
        check("API: state changes need the dashboard header",
              operator.post(base + "/xqueue/dashboard/api/resend", data={"all": "1"}).status_code == 403)

        browser = Browser()
        browser.navigate(base + "/xqueue/dashboard/")
        check("page loads and asks for a login",
              wait_for(lambda: browser.evaluate("document.body.dataset.state") == "login"))
        browser.evaluate("document.getElementById('username').value = 'lms';"
                         "document.getElementById('password').value = 'lmspass';"
                         "document.getElementById('login-button').click(); true")
        refused = wait_for(lambda: browser.evaluate("document.getElementById('login-error').textContent"))
        check("a user who is not an operator is refused", "not an operator" in (refused or ""), str(refused))
        browser.evaluate("document.getElementById('username').value = 'operator';"
                         "document.getElementById('password').value = 'oppass';"
                         "document.getElementById('login-button').click(); true")
        check("the operator gets the dashboard", wait_for(lambda: browser.evaluate("document.body.dataset.state") == "ready"))
        depth = wait_for(lambda: browser.evaluate(
            "(document.querySelector('tr[data-queue=\"tmp\"] .pending') || {}).textContent") == "3")
        check("the queue's depth after the submissions", depth,
              str(browser.evaluate("document.querySelector('#queues tbody').innerText")))
        check("Chart.js drew the charts", wait_for(lambda: browser.evaluate(
            "!!(window.Chart && Chart.getChart('chart-depth') && Chart.getChart('chart-depth').data.datasets.length === 1)")))

        parked = wait_for(lambda: browser.evaluate("document.querySelectorAll('#parked button.resend').length") == 1, timeout=20)
        check("the delivery parked while the LMS was down is listed", parked,
              str(browser.evaluate("document.querySelector('#parked tbody').innerText")))
        lms.status = 200  # the LMS is back
        browser.evaluate("document.querySelector('#parked button.resend').click(); true")
        check("Resend gets the result to the LMS", wait_for(lambda: len(lms.delivered()) == 1), str(lms.received))
        check("the delivery leaves the parked list",
              wait_for(lambda: browser.evaluate("document.querySelectorAll('#parked button.resend').length") == 0))
        check("the result reached the LMS once", wait_for(lambda: len(lms.delivered()) == 1) and
              (time.sleep(0.5) or len(lms.delivered()) == 1), str(lms.received))
    finally:
        if browser:
            browser.close()
        server.stop()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
