#!/usr/bin/env bats
# config-linux.md "Namespaces": new namespaces, or joined by path (and only of the right type).

load helpers

setup() {
	setup_bundle
	update_config '.linux.namespaces = [{"type":"pid"},{"type":"mount"},{"type":"uts"},
		{"type":"ipc"},{"type":"network"},{"type":"cgroup"}]'
}

teardown() {
	teardown_bundle
}

ns_of_process() {
	set_args sh -c 'for ns in pid mnt uts ipc net cgroup; do echo "$(readlink /proc/self/ns/$ns)"; done'
	foundry run --bundle "$BUNDLE" "$1"
	assert_status 0
}

# Start a long-running container NAME (own cgroup) and print its pid.
start_holder() {
	local name=$1
	update_config '.linux.cgroupsPath = $cg | .process.args = ["sleep", "600"]' \
		--arg cg "$FY_CGROUP_PATH-$name"
	foundry_ok run --detach --bundle "$BUNDLE" "$name" >&2
	state_field "$name" pid
}

# Put the namespace of TYPE at PATH in config.json.
ns_path() {
	update_config '.linux.namespaces |= map(if .type == $t then .path = $p else . end)' \
		--arg t "$1" --arg p "$2"
}

@test "namespaces: the container gets new pid, mount, uts, ipc, network and cgroup namespaces" {
	ns_of_process ct
	for ns in pid mnt uts ipc net cgroup; do
		inside=$(grep "^$ns:" <<<"$stdout")
		[ -n "$inside" ]
		[ "$inside" != "$(host_ns "$ns")" ]
	done
}

@test "namespaces: the process is PID 1 of its pid namespace and sees only its own processes" {
	set_args sh -c 'echo $$; ps -o pid,args; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = 1 ]
	# ps, the header and the shell: nothing from the host.
	[ "$(grep -c . <<<"$stdout")" -eq 4 ]
}

@test "namespaces: a namespace that is not listed is shared with the host" {
	update_config '.linux.namespaces |= map(select(.type != "ipc" and .type != "cgroup"))'
	ns_of_process ct
	[ "$(grep '^ipc:' <<<"$stdout")" = "$(host_ns ipc)" ]
	[ "$(grep '^cgroup:' <<<"$stdout")" = "$(host_ns cgroup)" ]
	[ "$(grep '^net:' <<<"$stdout")" != "$(host_ns net)" ]
}

@test "namespaces: a network namespace given by path (ip netns) is joined" {
	NETNS=fy-test-$FY_RUN_ID-$BATS_SUITE_TEST_NUMBER
	ip netns add "$NETNS"
	fy_defer ip netns delete "$NETNS"
	ns_path network "/run/netns/$NETNS"

	ns_of_process ct
	[ "$(grep '^net:' <<<"$stdout")" = "net:[$(stat -L -c %i "/run/netns/$NETNS")]" ]
}

@test "namespaces: uts, ipc and network namespaces of another container are joined by path" {
	pid=$(start_holder holder)
	update_config '.linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH"
	update_config 'del(.hostname)'
	for t in uts:uts ipc:ipc network:net; do
		ns_path "${t%%:*}" "/proc/$pid/ns/${t##*:}"
	done

	ns_of_process ct
	for ns in uts ipc net; do
		[ "$(grep "^$ns:" <<<"$stdout")" = "$(readlink "/proc/$pid/ns/$ns")" ]
	done
	# The pid namespace was still new.
	[ "$(grep '^pid:' <<<"$stdout")" != "$(readlink "/proc/$pid/ns/pid")" ]
}

@test "namespaces: a path that is a namespace of another type is refused" {
	pid=$(start_holder holder)
	update_config '.linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH"
	ns_path network "/proc/$pid/ns/uts"

	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	foundry state ct
	assert_contains "$output" "container does not exist"
}

@test "namespaces: a path that does not exist is refused" {
	ns_path network "$BATS_TEST_TMPDIR/no-such-ns"
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	foundry state ct
	assert_contains "$output" "container does not exist"
}

# Foundry-specific: the issue asks for a check of the namespace type with a message naming it;
# runc only fails in setns(2) with "Invalid argument".
@test "namespaces: the refusal of a wrong-type namespace path names the path and the type" {
	requires_foundry "wrong-type namespace message"
	pid=$(start_holder holder)
	update_config '.linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH"
	ns_path network "/proc/$pid/ns/uts"

	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "/proc/$pid/ns/uts"
	assert_contains "$output" "network"
}
