# Sourced by the container scripts: podman the way it works on these machines — the runc
# runtime (crun fails on this kernel's cgroup setup) and explicit ulimits (the defaults
# exceed the hard limits) — through a containers.conf of our own, so that podman build,
# podman run and podman-compose all get it.
xqueue_limit() { # the hard limit of $1 (ulimit flag), at most 16384 (plenty for xqueue;
	# nproc 65536 fails here even under a hard limit of 96367)
	local hard
	hard=$(ulimit -H "$1")
	if [ "$hard" = unlimited ] || [ "$hard" -gt 16384 ]; then echo 16384; else echo "$hard"; fi
}
XQUEUE_CONTAINERS_CONF="$(mktemp -t xqueue-containers.XXXXXX.conf)"
cat > "$XQUEUE_CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$(xqueue_limit -n):$(xqueue_limit -n)", "nproc=$(xqueue_limit -u):$(xqueue_limit -u)"]

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$XQUEUE_CONTAINERS_CONF"
# podman build ignores default_ulimits: it gets them as flags.
XQUEUE_PODMAN_LIMITS=(--ulimit "nofile=$(xqueue_limit -n):$(xqueue_limit -n)" --ulimit "nproc=$(xqueue_limit -u):$(xqueue_limit -u)")
