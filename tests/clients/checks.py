"""What the scripted client tests share: named checks with a summary, and a free port."""

import socket

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
