#!/usr/bin/env bats
# runtime.md "Lifecycle" and "Operations": create, start, state, delete, seen from the user's side.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

# A process that runs until the test writes to /go (a fifo in the rootfs), so the test decides
# when it exits without sleeping or polling.
use_gated_process() {
	mkfifo "$ROOTFS/go"
	set_args cat /go
}

open_gate() {
	timeout 10 sh -c 'echo > "$1"' sh "$ROOTFS/go"
}

@test "lifecycle: create, start, exit and delete go through created, running and stopped" {
	use_gated_process

	foundry_ok create --bundle "$BUNDLE" ct
	[ "$(state_field ct status)" = created ]

	foundry_ok start ct
	[ "$(state_field ct status)" = running ]

	open_gate
	wait_for_status ct stopped

	foundry_ok delete ct
	foundry state ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "container does not exist"
	[ ! -e "$FY_ROOT/ct" ]
}

@test "lifecycle: create does not run the process until start" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo ran > /ran'

	foundry_ok create --bundle "$BUNDLE" ct
	[ ! -e "$ROOTFS/ran" ]

	foundry_ok start ct
	wait_for_status ct stopped
	[ "$(cat "$ROOTFS/ran")" = ran ]
}

@test "lifecycle: exec.fifo exists while created and is gone once started" {
	set_args sleep 600

	foundry_ok create --bundle "$BUNDLE" ct
	[ -p "$FY_ROOT/ct/exec.fifo" ]

	foundry_ok start ct
	[ ! -e "$FY_ROOT/ct/exec.fifo" ]
}

@test "lifecycle: create without --bundle uses the current directory" {
	set_args sleep 600
	cd "$BUNDLE"

	foundry_ok create ct
	[ "$(state_field ct bundle)" = "$BUNDLE" ]
}

@test "lifecycle: create --pid-file writes the pid of the container's init, which state reports" {
	set_args sleep 600

	foundry_ok create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" ct
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[[ $pid =~ ^[1-9][0-9]*$ ]]
	[ "$(state_field ct pid)" = "$pid" ]
	[ -d "/proc/$pid" ]

	foundry_ok start ct
	# After start the same process is the user's program (the runtime exec'd into it).
	[ "$(state_field ct pid)" = "$pid" ]
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 600 " ]
}

@test "lifecycle: state reports ociVersion, id, pid, status, bundle, rootfs, created, owner and annotations" {
	set_args sleep 600
	update_config '.annotations = {"org.example.key": "value", "org.example.other": "x y"}'

	before=$(date -u +%s)
	foundry_ok create --bundle "$BUNDLE" ct
	after=$(date -u +%s)

	foundry_ok state ct
	json=$stdout
	echo "$json" | jq -e . >/dev/null

	[[ $(jq -r .ociVersion <<<"$json") =~ ^1\.[0-9]+\.[0-9]+ ]]
	[ "$(jq -r .id <<<"$json")" = ct ]
	[ "$(jq -r .status <<<"$json")" = created ]
	[[ $(jq -r .pid <<<"$json") =~ ^[1-9][0-9]*$ ]]
	[ "$(jq -r .bundle <<<"$json")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$json")" = "$ROOTFS" ]
	[ "$(jq -c .annotations <<<"$json")" = '{"org.example.key":"value","org.example.other":"x y"}' ]
	jq -e 'has("owner")' <<<"$json" >/dev/null

	# RFC 3339 in UTC with fractional seconds (Go's RFC3339Nano drops trailing zeros).
	created=$(jq -r .created <<<"$json")
	[[ $created =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{1,9}Z$ ]]
	created_s=$(date -u -d "$created" +%s)
	((before <= created_s && created_s <= after))
}

@test "lifecycle: state of a stopped container reports stopped and keeps its fields" {
	foundry_ok create --bundle "$BUNDLE" ct
	foundry_ok start ct
	wait_for_status ct stopped

	foundry_ok state ct
	[ "$(jq -r .id <<<"$stdout")" = ct ]
	[ "$(jq -r .bundle <<<"$stdout")" = "$BUNDLE" ]
}

@test "lifecycle: delete of a running container fails and leaves it running" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)

	foundry delete ct
	[ "$status" -ne 0 ]
	[ "$(state_field ct status)" = running ]
	kill -0 "$pid"
}

@test "lifecycle: delete --force kills a running container and removes it" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)

	foundry_ok delete --force ct
	fy_wait_gone "$pid"
	foundry state ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "container does not exist"
	[ ! -e "$FY_ROOT/ct" ]
	[ -z "$(fy_test_cgroups)" ]
}

@test "lifecycle: delete --force removes a created container whose process never ran" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo ran > /ran'
	foundry_ok create --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)

	foundry_ok delete --force ct
	fy_wait_gone "$pid"
	[ ! -e "$ROOTFS/ran" ]
	[ ! -e "$FY_ROOT/ct" ]
}

@test "lifecycle: every command on an unknown id fails with \"container does not exist\"" {
	for cmd in state start "kill" delete; do
		foundry $cmd nosuchct
		[ "$status" -ne 0 ]
		assert_contains "$output" "container does not exist"
	done
}

@test "lifecycle: create with an id in use fails with \"container with given ID already exists\"" {
	set_args sleep 600
	foundry_ok create --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)

	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "container with given ID already exists"
	# The first container is untouched.
	[ "$(state_field ct status)" = created ]
	[ "$(state_field ct pid)" = "$pid" ]
}

# Foundry-specific: runc 1.1.5 can fail both creates (its exec.fifo check races), see the report.
@test "lifecycle: of two concurrent creates of one id exactly one wins" {
	requires_foundry "runc 1.1.5 lets both racing creates fail"
	set_args sleep 600
	for round in 1 2 3 4 5; do
		id=race$round
		(
			foundry create --bundle "$BUNDLE" "$id"
			echo "$status" >"$BATS_TEST_TMPDIR/$id.a"
		) &
		(
			foundry create --bundle "$BUNDLE" "$id"
			echo "$status" >"$BATS_TEST_TMPDIR/$id.b"
		) &
		wait
		a=$(cat "$BATS_TEST_TMPDIR/$id.a")
		b=$(cat "$BATS_TEST_TMPDIR/$id.b")
		echo "round $round: statuses $a $b" >&2
		{ [ "$a" -eq 0 ] && [ "$b" -ne 0 ]; } || { [ "$a" -ne 0 ] && [ "$b" -eq 0 ]; }
		[ "$(state_field "$id" status)" = created ]
		foundry_ok delete --force "$id"
	done
}

@test "lifecycle: a created container whose init was killed is reported stopped" {
	set_args sleep 600
	foundry_ok create --bundle "$BUNDLE" ct
	[ "$(state_field ct status)" = created ]
	pid=$(state_field ct pid)
	[[ $pid =~ ^[1-9][0-9]*$ ]]

	kill -9 "$pid"
	wait_for_status ct stopped

	foundry_ok delete ct
	[ ! -e "$FY_ROOT/ct" ]
}

@test "lifecycle: a running container whose process was killed from the host is reported stopped" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)

	kill -9 "$pid"
	wait_for_status ct stopped
	foundry_ok delete ct
}

@test "lifecycle: start of a running container fails and leaves it running" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct

	foundry start ct
	[ "$status" -ne 0 ]
	[ "$(state_field ct status)" = running ]
}

@test "lifecycle: start of a stopped container fails" {
	foundry_ok run --detach --bundle "$BUNDLE" ct
	wait_for_status ct stopped

	foundry start ct
	[ "$status" -ne 0 ]
	[ "$(state_field ct status)" = stopped ]
}

@test "lifecycle: --preserve-fds passes that many extra fds from 3 on, and no more" {
	echo "passed" >"$BATS_TEST_TMPDIR/fd3"
	echo "not passed" >"$BATS_TEST_TMPDIR/fd4"
	set_args sh -c 'cat <&3; if (exec <&4) 2>/dev/null; then echo fd4 open; else echo fd4 closed; fi'

	FY_INHERIT_FDS="3 4" foundry run --preserve-fds 1 --bundle "$BUNDLE" ct \
		3<"$BATS_TEST_TMPDIR/fd3" 4<"$BATS_TEST_TMPDIR/fd4"
	assert_status 0
	[ "$stdout" = $'passed\nfd4 closed' ]
}

@test "lifecycle: without --preserve-fds the process gets only stdin, stdout and stderr" {
	set_args ls /proc/self/fd

	# ls itself opens one fd to read the directory, so four entries: 0 1 2 and that one.
	FY_INHERIT_FDS="3 5" foundry run --bundle "$BUNDLE" ct 3<"$BUNDLE/config.json" 5<"$BUNDLE/config.json"
	assert_status 0
	[ "$(echo "$stdout" | wc -l)" -eq 4 ]
	[ "$(echo "$stdout" | head -n3 | tr '\n' ' ')" = "0 1 2 " ]
}

@test "lifecycle: create --no-pivot, then start, runs the process in the bundle's rootfs" {
	echo marker >"$ROOTFS/marker"
	update_config '.root.readonly = false'
	set_args sh -c 'cat /marker > /out'

	foundry_ok create --no-pivot --bundle "$BUNDLE" ct
	foundry_ok start ct
	wait_for_status ct stopped
	[ "$(cat "$ROOTFS/out")" = marker ]
}

# The init joins a new session keyring named _ses.<id> (as runc does), which
# the host's root sees in /proc/keys; --no-new-keyring keeps the caller's.  Ids unique to
# this test, since a keyring outlives its container until the kernel collects it.
@test "lifecycle: the container gets a session keyring of its own, unless --no-new-keyring" {
	local own="kr-own-$$-$RANDOM" kept="kr-kept-$$-$RANDOM"
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" "$own"
	grep -q " keyring *_ses\.$own: " /proc/keys
	foundry_ok delete --force "$own"
	foundry_ok run --detach --no-new-keyring --bundle "$BUNDLE" "$kept"
	[ "$(state_field "$kept" status)" = running ]
	# (not `! grep`: bash's errexit ignores a negated command, so it could never fail)
	if grep -q " keyring *_ses\.$kept: " /proc/keys; then
		echo "--no-new-keyring still made a keyring for $kept" >&2
		return 1
	fi
}
