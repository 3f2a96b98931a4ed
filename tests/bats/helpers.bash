#!/usr/bin/env bash
# Shared helpers for the integration suite (bats-core, run as root, real containers).
#
#   load helpers
#   setup()    { setup_bundle; }
#   teardown() { teardown_bundle; }
#
#   update_config '.process.args = ["cat", "/etc/hostname"]'
#   foundry run ct
#   [ "$status" -eq 0 ]
#   [ "$output" = busybox ]
#
# `foundry ARGS` runs $FOUNDRY_BIN with this test's --root and --log, never fails itself, and
# sets $status, $output (stdout then stderr), $stdout, $stderr and $lines like bats' `run`.
# It prints the command, its output and the log lines it wrote to stderr, which bats shows
# only when the test fails.
#
# FOUNDRY_BIN selects the runtime: the built ./foundry by default; `FOUNDRY_BIN=runc bats
# tests/bats` runs the suite against runc, to check the tests themselves. Tests that depend on
# something only Foundry promises (exact --version lines, its error wording, spec behaviour
# runc 1.1.5 lacks) call requires_foundry, which skips them for another runtime, never for
# Foundry.
#
# Also: FY_STDIN=FILE (the runtime's stdin, /dev/null by default), FY_INHERIT_FDS="3 4" (fds
# passed on, for --preserve-fds), FOUNDRY_TIMEOUT (seconds per runtime command, 20),
# fy_defer CMD... (host cleanup run at teardown), set_args, update_config, wait_for_status,
# state_field.  Extra containers in one test take cgroupsPath "$FY_CGROUP_PATH-NAME".

FY_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

: "${FOUNDRY_BIN:=$FY_TOP/foundry}"
if [[ $FOUNDRY_BIN != */* ]]; then
	FOUNDRY_BIN=$(command -v "$FOUNDRY_BIN" || echo "$FOUNDRY_BIN")
fi
export FOUNDRY_BIN

# The busybox rootfs is built once and copied into each test's bundle.
: "${FOUNDRY_ROOTFS_CACHE:=$FY_TOP/tests/.cache/rootfs}"

# Every test's cgroup lives under this prefix so zz-leaks.bats can find leftovers; the run id
# in each name keeps two runs on one machine (a developer's and CI's) apart.
FY_CGROUP_PREFIX=foundry-test
FY_CGROUP_FS=/sys/fs/cgroup
FY_RUN_ID=${BATS_RUN_TMPDIR##*-}

# A runtime that hangs must fail its test, not the whole CI job.
: "${FOUNDRY_TIMEOUT:=20}"

# Per-test locations.  BATS_TEST_TMPDIR lives until the end of the run, so zz-leaks.bats
# can still look inside every test's root after the test is gone.
FY_ROOT=$BATS_TEST_TMPDIR/root
FY_LOG=$BATS_TEST_TMPDIR/runtime.log
BUNDLE=$BATS_TEST_TMPDIR/bundle
ROOTFS=$BUNDLE/rootfs
FY_LEAKS=$BATS_RUN_TMPDIR/foundry-leaks

fy_is_foundry() {
	[[ $("$FOUNDRY_BIN" --version 2>/dev/null | head -n1) == "foundry version "* ]]
}

# Skip a test that checks something only Foundry promises; say what in REASON.
requires_foundry() {
	fy_is_foundry || skip "foundry-specific ($*), runtime is $FOUNDRY_BIN"
}

# The runtime with this test's state root and log.  Never fails; see the header.
# Only stdin, stdout and stderr are passed on: bats keeps its own pipes and files open (fd 3 is
# its output channel), and a container that inherited one would hang bats.  A test that passes
# fds on purpose names them: FY_INHERIT_FDS="3 4" foundry run --preserve-fds 2 ... 3<a 4<b
foundry() {
	local out err logsize=0
	out=$(mktemp "$BATS_TEST_TMPDIR/out.XXXXXX")
	err=$(mktemp "$BATS_TEST_TMPDIR/err.XXXXXX")
	[[ -f $FY_LOG ]] && logsize=$(stat -c %s "$FY_LOG")
	status=0
	fy_exec_runtime "$@" <"${FY_STDIN:-/dev/null}" >"$out" 2>"$err" || status=$?
	stdout=$(<"$out")
	stderr=$(<"$err")
	rm -f "$out" "$err"
	output=$stdout
	if [[ -n $stderr ]]; then
		output+=${output:+$'\n'}$stderr
	fi
	lines=()
	[[ -n $output ]] && mapfile -t lines <<<"$output"
	{
		echo "\$ $(basename "$FOUNDRY_BIN") $* (status=$status)"
		[[ -n $output ]] && printf '%s\n' "$output"
		if [[ -f $FY_LOG ]] && (($(stat -c %s "$FY_LOG") > logsize)); then
			echo "--- $FY_LOG:"
			tail -c +"$((logsize + 1))" "$FY_LOG"
		fi
	} >&2
	return 0
}

# Run the runtime (in a subshell) with every fd above 2 closed but those in FY_INHERIT_FDS.
fy_exec_runtime() (
	local fd keep=" ${FY_INHERIT_FDS:-} "
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		((fd > 2)) || continue
		[[ $keep == *" $fd "* ]] && continue
		eval "exec $fd>&-" 2>/dev/null || true
	done
	exec timeout -k 5 "$FOUNDRY_TIMEOUT" "$FOUNDRY_BIN" --root "$FY_ROOT" --log "$FY_LOG" "$@"
)

# The runtime, and the test fails unless it exits 0.
foundry_ok() {
	foundry "$@"
	if [[ $status -ne 0 ]]; then
		echo "expected success from: $(basename "$FOUNDRY_BIN") $*" >&2
		return 1
	fi
}

# Fails the test with a message when "$1" does not contain "$2".
assert_contains() {
	if [[ $1 != *"$2"* ]]; then
		printf 'expected to find: %s\nin: %s\n' "$2" "$1" >&2
		return 1
	fi
}

# Fails the test when "$1" contains "$2".
refute_contains() {
	if [[ $1 == *"$2"* ]]; then
		printf 'did not expect: %s\nin: %s\n' "$2" "$1" >&2
		return 1
	fi
}

# Fails the test when $status is not "$1".
assert_status() {
	if [[ $status -ne $1 ]]; then
		echo "expected exit status $1, got $status" >&2
		return 1
	fi
}

# Build (once) and copy the busybox rootfs; write config.json from the runtime's own `spec`
# (runc's while ours is not ready) with terminal off and this test's cgroup.
setup_bundle() {
	"$FY_TOP/tests/fixtures/busybox-rootfs.sh" "$FOUNDRY_ROOTFS_CACHE"
	mkdir -p "$BUNDLE"
	cp -a "$FOUNDRY_ROOTFS_CACHE" "$ROOTFS"
	if ! (cd "$BUNDLE" && "$FOUNDRY_BIN" spec) >/dev/null 2>&1 || ! [[ -s $BUNDLE/config.json ]]; then
		echo "# $FOUNDRY_BIN spec failed; using runc spec" >&2
		rm -f "$BUNDLE/config.json"
		(cd "$BUNDLE" && runc spec)
	fi
	FY_CGROUP_PATH=/$FY_CGROUP_PREFIX/$FY_RUN_ID-$BATS_SUITE_TEST_NUMBER
	update_config '.process.terminal = false
		| .process.args = ["true"]
		| .linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH"
	cd "$BUNDLE" || return 1
}

# Edit config.json with a jq expression; extra arguments go to jq (--arg, --argjson).
update_config() {
	local expr=$1 tmp
	shift
	tmp=$(mktemp "$BUNDLE/config.json.XXXXXX")
	jq "$@" "$expr" "$BUNDLE/config.json" >"$tmp"
	mv "$tmp" "$BUNDLE/config.json"
}

# Set process.args from the arguments.
set_args() {
	local args
	args=$(jq -cn '$ARGS.positional' --args -- "$@")
	update_config '.process.args = $a' --argjson a "$args"
}

# Poll `state` until ID has STATUS (10 s at most; the limit is a deadlock guard, not a timing
# assertion).
wait_for_status() {
	local id=$1 want=$2 i got=
	for ((i = 0; i < 100; i++)); do
		got=$("$FOUNDRY_BIN" --root "$FY_ROOT" state "$id" 2>/dev/null | jq -r .status 2>/dev/null)
		[[ $got == "$want" ]] && return 0
		sleep 0.1
	done
	echo "container $id: status is \"$got\", waited for \"$want\"" >&2
	return 1
}

# The JSON `state` of ID, on stdout; fails when the runtime does.
state_json() {
	"$FOUNDRY_BIN" --root "$FY_ROOT" state "$1"
}

# The value of `state ID` field FIELD (a jq path without the dot).
state_field() {
	state_json "$1" | jq -r ".$2"
}

# Every cgroup directory of this test, in any hierarchy (v1 controllers and cgroup2): the
# test's cgroupsPath and the "$FY_CGROUP_PATH-NAME" ones of its extra containers.
fy_test_cgroups() {
	[[ -n ${FY_CGROUP_PATH:-} ]] || return 0
	local d
	for d in "$FY_CGROUP_FS"/*"$FY_CGROUP_PATH" "$FY_CGROUP_FS"/*"$FY_CGROUP_PATH"-*; do
		[[ -d $d ]] && echo "$d"
	done
	return 0
}

# Run a command at teardown, after the containers are deleted and before the leak checks
# (unmounting what the test mounted on the host, deleting a netns ...).  Last in, first out.
FY_DEFERRED=()
fy_defer() {
	FY_DEFERRED=("$(printf '%q ' "$@")" "${FY_DEFERRED[@]}")
}

# Record a leak for zz-leaks.bats, naming the test that left it.
fy_record_leak() {
	echo "$BATS_TEST_FILENAME: $BATS_TEST_DESCRIPTION: $*" >>"$FY_LEAKS"
}

# Force-delete every container of this test, then check that the runtime left nothing
# behind.  What is left is recorded (zz-leaks.bats fails on it) and removed by brute force so
# one runtime bug does not cascade through the rest of the suite.
teardown_bundle() {
	cd "$BATS_TEST_TMPDIR" || true
	local id dir pid cg p
	local -a pids=()
	if [[ -d $FY_ROOT ]]; then
		for dir in "$FY_ROOT"/*/; do
			[[ -d $dir ]] || continue
			id=$(basename "$dir")
			pid=$(state_field "$id" pid 2>/dev/null) || true
			[[ $pid =~ ^[1-9][0-9]*$ ]] && pids+=("$pid")
			FOUNDRY_TIMEOUT=10 foundry delete --force "$id"
		done
		for dir in "$FY_ROOT"/*/; do
			[[ -d $dir ]] || continue
			fy_record_leak "state dir $dir left after delete --force"
			rm -rf "$dir"
		done
	fi
	for p in "${FY_DEFERRED[@]}"; do
		eval "$p" || echo "deferred cleanup failed: $p" >&2
	done
	FY_DEFERRED=()
	for cg in $(fy_test_cgroups); do
		for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do
			fy_record_leak "process $p ($(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null)) left in $cg"
			kill -9 "$p" 2>/dev/null || true
			pids+=("$p")
		done
	done
	for p in "${pids[@]}"; do
		if ! fy_wait_gone "$p"; then
			fy_record_leak "process $p ($(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null)) alive after delete --force"
			kill -9 "$p" 2>/dev/null || true
		fi
	done
	for cg in $(fy_test_cgroups); do
		# Hooks and helpers can leave child cgroups; remove bottom-up.
		find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
		if [[ -d $cg ]]; then
			fy_record_leak "cgroup $cg could not be removed"
		else
			fy_record_leak "cgroup $cg left after delete --force"
		fi
	done
	# The shared parent is the runtime's to create and nobody's to remove; drop it when empty.
	rmdir "$FY_CGROUP_FS"/*/"$FY_CGROUP_PREFIX" 2>/dev/null || true
	if grep -qF " $BATS_TEST_TMPDIR/" /proc/self/mountinfo; then
		fy_record_leak "mounts left: $(grep -F " $BATS_TEST_TMPDIR/" /proc/self/mountinfo | cut -d' ' -f5 | tr '\n' ' ')"
		grep -F " $BATS_TEST_TMPDIR/" /proc/self/mountinfo | cut -d' ' -f5 | sort -r |
			while read -r p; do umount -l "$p" 2>/dev/null || true; done
	fi
	return 0
}

# Wait (5 s at most) for PID to exit; a pid whose process is a zombie counts as gone.
fy_wait_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		[[ -e /proc/$1 ]] || return 0
		[[ $(awk '/^State:/ {print $2}' /proc/"$1"/status 2>/dev/null) == Z ]] && return 0
		sleep 0.1
	done
	return 1
}

# The inode of a host namespace, e.g. host_ns net -> "net:[4026531840]".
host_ns() {
	readlink "/proc/self/ns/$1"
}
