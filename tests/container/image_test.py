#!/usr/bin/env python3
"""The container image run as an operator runs it (scripts/test-image): configured by the
environment and a mounted secret, on MariaDB, migrated by a one-shot "admin migrate" (the
init job), users created with "admin user set", then the server serving the LMS (a fake one
here) through a pull grader and through a push grader, healthy by its own health check,
as the non-root user, and stopped cleanly by SIGTERM.

usage: image_test.py IMAGE PODMAN_FLAG...   (XQUEUE_TEST_MYSQL from scripts/with-mariadb)
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests
import yaml

IMAGE = sys.argv[1]
PODMAN_FLAGS = sys.argv[2:]
NAME = "xqueue-image-test-%d" % os.getpid()
MYSQL = dict(part.split("=", 1) for part in os.environ["XQUEUE_TEST_MYSQL"].split(";") if part)
DATABASE = "xqueue_image_%d" % os.getpid()
CALLBACKS = []
CALLBACKS_LOCK = threading.Lock()


class FakeLms(BaseHTTPRequestHandler):
    """Takes grades as the LMS's score_update does: a form post, answered 200."""

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        with CALLBACKS_LOCK:
            CALLBACKS.append((self.path, {k: v[0] for k, v in form.items()}))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class PushGrader(BaseHTTPRequestHandler):
    """An external grader of a push queue: the reply to the POST is the grade."""

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"correct": True, "score": 1, "msg": "pushed"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mariadb(sql):
    subprocess.run(["mariadb", "--no-defaults", "-h" + MYSQL["host"], "-P" + MYSQL["port"], "-u" + MYSQL["user"],
                    "-p" + MYSQL["password"], "-e", sql], check=True)


def podman(*args, input=None, check=True):
    result = subprocess.run(["podman", *args], input=input, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit("podman %s failed (%d):\n%s%s" % (" ".join(args), result.returncode, result.stdout, result.stderr))
    return result


def expect(condition, what):
    if not condition:
        print("FAILED: " + what)
        print(podman("logs", NAME, check=False).stderr[-4000:])
        sys.exit(1)
    print("ok: " + what)


def check_examples(run, environment):
    """The environment of the shipped compose file and Kubernetes ConfigMap is what the
    image accepts: check-config passes with it (the store pointed at the test database)."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "deploy/compose/compose.yaml")) as f:
        compose = yaml.safe_load(f)
    with open(os.path.join(root, "deploy/kubernetes/xqueue.yaml")) as f:
        configmap = next(d for d in yaml.safe_load_all(f) if d["kind"] == "ConfigMap")
    for name, example in (("compose.yaml", compose["services"]["xqueue"]["environment"]), ("the ConfigMap", configmap["data"])):
        arguments = list(run)
        for key, value in example.items():
            if key not in ("XQUEUE_STORE_CONNECTION", "XQUEUE_STORE_PASSWORD_FILE"):
                arguments += ["-e", "%s=%s" % (key, value)]
        for key in ("XQUEUE_STORE_CONNECTION", "XQUEUE_STORE_PASSWORD_FILE"):
            arguments += ["-e", "%s=%s" % (key, environment[key])]
        checked = podman(*arguments, "--rm", IMAGE, "admin", "check-config", check=False)
        expect(checked.returncode == 0 and "configuration OK" in checked.stdout,
               "the environment of %s passes check-config%s" % (name, "" if checked.returncode == 0 else ":\n" + checked.stdout + checked.stderr))


def main():
    lms_port, grader_port, port = serve(FakeLms), serve(PushGrader), free_port()
    mariadb("CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % DATABASE)
    secrets = tempfile.mkdtemp()
    password_file = os.path.join(secrets, "xqueue-db-password")
    with open(password_file, "w") as f:
        f.write(MYSQL["password"] + "\n")
    os.chmod(secrets, 0o755)
    os.chmod(password_file, 0o644)
    environment = {
        "XQUEUE_HTTP_PORT": str(port),
        "XQUEUE_STORE_CONNECTOR": "mysql",
        "XQUEUE_STORE_CONNECTION": "host=%s;port=%s;user=%s;db=%s" % (MYSQL["host"], MYSQL["port"], MYSQL["user"], DATABASE),
        "XQUEUE_STORE_PASSWORD_FILE": "/run/secrets/xqueue-db-password",
        "XQUEUE_STORE_MIGRATE": "explicit",
        "XQUEUE_OUTBOUND_ALLOW_ADDRESSES": "127.0.0.0/8",
        "XQUEUE__QUEUES__PULL__PLUGIN": "pull_rest",
        "XQUEUE__QUEUES__PUSH__PLUGIN": "http_push",
        "XQUEUE__QUEUES__PUSH__URL": "http://127.0.0.1:%d/" % grader_port,
    }
    # Read-only, with /tmp its own, as the Kubernetes example runs it (readOnlyRootFilesystem).
    run = ["run", *PODMAN_FLAGS, "--network", "host", "--read-only", "--tmpfs", "/tmp",
           "-v", password_file + ":/run/secrets/xqueue-db-password:ro"]
    for key, value in environment.items():
        run += ["-e", "%s=%s" % (key, value)]
    try:
        # The init job, then the accounts (passwords on stdin, as the docs show).
        migrated = podman(*run, "--rm", IMAGE, "admin", "migrate")
        expect("schema" in (migrated.stdout + migrated.stderr), "admin migrate (the init job) ran: " + migrated.stdout.strip())
        for user, role in (("lms", "lms"), ("grader", "grader")):
            podman(*run, "--rm", "-i", IMAGE, "admin", "user", "set", user, "--role=" + role, "--queues=*", "--password-stdin",
                   input=user + "-pass\n")
        check_examples(run, environment)
        podman(*run, "-d", "--name", NAME, IMAGE)
        base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        expect(requests.get(base + "/readyz", timeout=2).status_code == 200, "the server is ready on MariaDB")
        expect(podman("healthcheck", "run", NAME, check=False).returncode == 0, "the image's health check (/healthz) passes")
        expect(podman("exec", NAME, "id", "-u").stdout.strip() == "10001", "the server runs as uid 10001, not root")

        lms = requests.Session()
        expect(lms.post(base + "/xqueue/login/", data={"username": "lms", "password": "lms-pass"}).json()["return_code"] == 0,
               "the LMS logs in")
        for queue in ("pull", "push"):
            header = json.dumps({"lms_callback_url": "http://127.0.0.1:%d/courses/c/xqueue/%s/score_update" % (lms_port, queue),
                                 "lms_key": "key-" + queue, "queue_name": queue})
            reply = lms.post(base + "/xqueue/submit/", data={"xqueue_header": header, "xqueue_body": "{\"answer\": 42}"}).json()
            expect(reply["return_code"] == 0, "submitted to queue %s: %s" % (queue, reply))

        grader = requests.Session()
        grader.post(base + "/xqueue/login/", data={"username": "grader", "password": "grader-pass"})
        pulled = grader.get(base + "/xqueue/get_submission/", params={"queue_name": "pull"}).json()
        expect(pulled["return_code"] == 0, "a pull grader got the submission")
        content = json.loads(pulled["content"])
        result = grader.post(base + "/xqueue/put_result/", data={
            "xqueue_header": content["xqueue_header"],
            "xqueue_body": json.dumps({"correct": True, "score": 1, "msg": "pulled"})}).json()
        expect(result["return_code"] == 0, "the pull grader's result was accepted")

        deadline = time.time() + 30
        while time.time() < deadline and len(CALLBACKS) < 2:
            time.sleep(0.1)
        with CALLBACKS_LOCK:
            grades = {path.split("/")[4]: json.loads(form["xqueue_body"])["msg"] for path, form in CALLBACKS}
        expect(grades == {"pull": "pulled", "push": "pushed"}, "the LMS got both grades: %s" % grades)
        metrics = requests.get(base + "/metrics", timeout=5).text
        expect("xqueue_build_info{" in metrics and "xqueue_store_up 1" in metrics, "/metrics answers with the store up")

        podman("stop", "-t", "30", NAME)
        state = podman("inspect", "--format", "{{.State.ExitCode}}", NAME).stdout.strip()
        expect(state == "0", "SIGTERM (podman stop) ends the server cleanly (exit %s)" % state)
        expect("listening on 0.0.0.0:%d" % port in podman("logs", NAME).stderr, "the server logs to the container's output")
    finally:
        podman("rm", "-f", NAME, check=False)
        mariadb("DROP DATABASE IF EXISTS %s" % DATABASE)
    print("image test passed")


if __name__ == "__main__":
    main()
