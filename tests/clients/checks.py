"""What the scripted client tests share: named checks with a summary, a free port, and a
real xqueue-server in a scratch directory."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import requests

RESULTS = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        RESULTS["passed"] += 1
        print("ok   " + name)
    else:
        RESULTS["failed"] += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def failed():
    return RESULTS["failed"] > 0


def summary():
    """Prints the totals and returns the exit code."""
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 1 if RESULTS["failed"] else 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """xqueue-server on a free loopback port with its own SQLite store and a pull queue
    "tmp"; users are created with xqueue-admin (name, password, extra arguments)."""

    def __init__(self, server_path, admin_path, properties=(), users=()):
        self.work = tempfile.mkdtemp(prefix="xqueue-clients-")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.config = os.path.join(self.work, "xqueue.properties")
        with open(self.config, "w") as f:
            f.write("xqueue.http.port = %d\n" % self.port)
            f.write("xqueue.store.connection = %s/xqueue.sqlite\n" % self.work)
            f.write("xqueue.auth.pbkdf2_iterations = 1000\n")
            f.write("xqueue.queues.tmp.plugin = pull_rest\n")
            f.write("xqueue.delivery.retry.initial_delay = 0.05\n")
            f.write("xqueue.outbound.allow_addresses = 127.0.0.0/8\n")
            for line in properties:
                f.write(line + "\n")
        self.admin_path = admin_path
        for user, password, extra in users:
            self.admin(["user", "set", user] + list(extra), password + "\n")
        self.log = open(os.path.join(self.work, "server.log"), "w")
        self.process = subprocess.Popen([server_path, "--config-file=" + self.config], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.02)

    def admin(self, arguments, stdin=""):
        subprocess.run([self.admin_path, "--config-file=" + self.config] + arguments, input=stdin,
                       text=True, check=True, capture_output=True)

    def stop(self, name="server stops cleanly on SIGTERM"):
        """SIGTERM, a check that it exits 0, its log printed if anything failed."""
        self.process.terminate()
        code = self.process.wait(timeout=20)
        check(name, code == 0, str(code))
        self.log.close()
        if failed():
            print(open(os.path.join(self.work, "server.log")).read())
        shutil.rmtree(self.work, ignore_errors=True)
