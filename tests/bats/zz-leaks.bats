#!/usr/bin/env bats
# Runs last (files run in name order): nothing the suite created may outlive it.  Each test's
# teardown already force-deleted its containers and recorded in $FY_LEAKS what the runtime
# left behind; this file reports those and looks again, run-wide.

load helpers

@test "leaks: no test recorded a leak in its teardown" {
	if [[ -s $FY_LEAKS ]]; then
		cat "$FY_LEAKS" >&2
		return 1
	fi
}

@test "leaks: no state dir is left under any test's --root" {
	left=$(find "$BATS_RUN_TMPDIR"/test/*/root -mindepth 1 -maxdepth 1 2>/dev/null || true)
	if [[ -n $left ]]; then
		echo "state left: $left" >&2
		return 1
	fi
}

@test "leaks: no mount of a test bundle is left in the host's mount table" {
	if grep -F " $BATS_RUN_TMPDIR/" /proc/self/mountinfo >&2; then
		return 1
	fi
}

@test "leaks: no cgroup of this run is left" {
	left=$(find "$FY_CGROUP_FS"/*/"$FY_CGROUP_PREFIX" -mindepth 1 -maxdepth 1 -type d \
		-name "$FY_RUN_ID-*" 2>/dev/null || true)
	if [[ -n $left ]]; then
		echo "cgroups left: $left" >&2
		return 1
	fi
}

@test "leaks: no process of this run is left" {
	local pid left=""
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
		# A zombie has exited and holds nothing; reaping it is its parent's job (a detached
		# container's init is reparented to pid 1, which on these machines reaps late).
		[[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]] && continue
		if grep -qs "/$FY_CGROUP_PREFIX/$FY_RUN_ID-" "/proc/$pid/cgroup" ||
			[[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$BATS_RUN_TMPDIR"/test/* ]]; then
			left+="$pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)) "
		fi
	done
	if [[ -n $left ]]; then
		echo "processes left: $left" >&2
		return 1
	fi
}

@test "leaks: no network namespace of this run is left" {
	if ip netns list | grep "^fy-test-$FY_RUN_ID-" >&2; then
		return 1
	fi
}

# Once, during development, the host's /dev/null ended up with mode 0755: a device bound into a
# container and then changed there changes the host's node.  This catches it if it comes back.
@test "leaks: the host's /dev/null and /dev/full keep their mode and owner" {
	[ "$(stat -c '%F %a %u:%g %t:%T' /dev/null)" = "character special file 666 0:0 1:3" ]
	[ "$(stat -c '%F %a %u:%g %t:%T' /dev/full)" = "character special file 666 0:0 1:7" ]
}
