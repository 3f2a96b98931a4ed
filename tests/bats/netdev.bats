#!/usr/bin/env bats
# config-linux.md "Network Devices": linux.netDevices moves a host interface into the
# container's network namespace, renamed or not, with its permanent global addresses, and
# sets it up; a clash with a name in the container is an error unless the name is a %d
# template.  The runtime never moves it back (the namespace's death destroys a veth), so
# teardown only removes what is still on the host.

load helpers

setup() {
	requires_foundry "netDevices (runtime-spec 1.3; runc 1.1.5 predates it)"
	setup_bundle
	update_config '.linux.namespaces = [{"type":"pid"},{"type":"mount"},{"type":"uts"},
		{"type":"ipc"},{"type":"network"}]'
	# A veth pair with names unique to this run and test: the "a" end moves in.
	VETH=fyt$((RANDOM % 1000))n$BATS_SUITE_TEST_NUMBER
	VA=${VETH}a
	VB=${VETH}b
	ip link add "$VA" type veth peer name "$VB"
	fy_defer ip_link_gone "$VA" "$VB"
	ip addr add 10.213.7.2/24 dev "$VA"
	ip addr add fd00:213:7::2/64 dev "$VA" nodad
	ip link set "$VB" up
}

teardown() {
	teardown_bundle
}

# Deletes what is left of the pair on the host (nothing, when the container's namespace
# took the moved end with it: deleting one end of a veth deletes both).
ip_link_gone() {
	local dev
	for dev in "$@"; do
		ip link del "$dev" 2>/dev/null || true
	done
}

# netDevices = {HOST: {name: NAME}}, or {HOST: {}} without NAME.
net_device() {
	if [[ $# -eq 2 ]]; then
		update_config '.linux.netDevices = {($h): {name: $n}}' --arg h "$1" --arg n "$2"
	else
		update_config '.linux.netDevices = {($h): {}}' --arg h "$1"
	fi
}

# Starts container ct with the device(s) configured, sleeping.
run_detached() {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
}

@test "netDevices: a host veth moves in under its new name, keeps its address and is up" {
	net_device "$VA" ctr0
	run_detached

	# Gone from the host.
	run ip link show "$VA"
	[ "$status" -ne 0 ]

	foundry exec ct ip -o addr show dev ctr0
	assert_status 0
	assert_contains "$stdout" "inet 10.213.7.2/24"
	assert_contains "$stdout" "scope global"
	assert_contains "$stdout" "inet6 fd00:213:7::2/64"
	foundry exec ct ip link show ctr0
	assert_status 0
	[[ $stdout =~ \<[A-Z_,-]*,UP[,\>] ]]
	# Nothing else but lo came in.
	foundry exec ct ls /sys/class/net
	assert_status 0
	[ "$(echo $stdout)" = "ctr0 lo" ]
}

@test "netDevices: without a name the device keeps its host name" {
	net_device "$VA"
	run_detached

	foundry exec ct ip -o addr show dev "$VA"
	assert_status 0
	assert_contains "$stdout" "inet 10.213.7.2/24"
	foundry exec ct ip link show "$VA"
	[[ $stdout =~ \<[A-Z_,-]*,UP[,\>] ]]
}

@test "netDevices: the container reaches the host end of the veth through the moved device" {
	ip addr add 10.213.7.1/24 dev "$VB"
	net_device "$VA" eth0
	# ping needs a raw socket.
	update_config '.process.capabilities |= with_entries(.value += ["CAP_NET_RAW"])'
	set_args ping -c 1 -W 5 10.213.7.1
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" "1 packets received"
}

@test "netDevices: only permanent global addresses move, not link-scope or dynamic ones" {
	ip addr add 10.213.8.2/24 dev "$VA" scope link
	ip addr add 10.213.9.2/24 dev "$VA" valid_lft 3600 preferred_lft 3600
	net_device "$VA" ctr0
	run_detached

	foundry exec ct ip -o addr show dev ctr0
	assert_status 0
	assert_contains "$stdout" "inet 10.213.7.2/24"
	refute_contains "$stdout" "10.213.8.2"
	refute_contains "$stdout" "10.213.9.2"
}

@test "netDevices: a %d template lets the kernel pick a free name" {
	net_device "$VA" "c%d"
	run_detached

	foundry exec ct ip -o addr show dev c0
	assert_status 0
	assert_contains "$stdout" "inet 10.213.7.2/24"
}

@test "netDevices: the device moves into a network namespace joined by path" {
	NETNS=fy-test-$FY_RUN_ID-$BATS_SUITE_TEST_NUMBER
	ip netns add "$NETNS"
	fy_defer ip netns delete "$NETNS"
	update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
		--arg p "/run/netns/$NETNS"
	net_device "$VA" ctr0
	run_detached

	run nsenter --net="/run/netns/$NETNS" ip -o addr show dev ctr0
	[ "$status" -eq 0 ]
	assert_contains "$output" "inet 10.213.7.2/24"
	foundry exec ct ip -o link show ctr0
	assert_status 0
}

@test "netDevices: a host device that does not exist is a clear error and nothing is created" {
	net_device "${VETH}x" ctr0
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" ".linux.netDevices[\"${VETH}x\"]: no such network device"
	foundry state ct
	assert_contains "$output" "container does not exist"
}

@test "netDevices: a name taken in the container is a clear error and the device stays on the host" {
	net_device "$VA" lo
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" "network device \"$VA\""
	assert_contains "$stderr" "a network device named \"lo\" already exists in the container's network namespace"
	foundry state ct
	assert_contains "$output" "container does not exist"
	# Still on the host, with its address.
	run ip -o addr show dev "$VA"
	[ "$status" -eq 0 ]
	assert_contains "$output" "inet 10.213.7.2/24"
}

@test "netDevices: a clash in a joined namespace stops the create before any device moves" {
	NETNS=fy-test-$FY_RUN_ID-$BATS_SUITE_TEST_NUMBER
	ip netns add "$NETNS"
	fy_defer ip netns delete "$NETNS"
	nsenter --net="/run/netns/$NETNS" ip link add taken0 type veth peer name taken1
	ip link add "${VETH}c" type veth peer name "${VETH}d"
	fy_defer ip_link_gone "${VETH}c"
	update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
		--arg p "/run/netns/$NETNS"
	# The first device could move; the second clashes: neither may move.
	update_config '.linux.netDevices = {($a): {name: "free0"}, ($c): {name: "taken0"}}' \
		--arg a "$VA" --arg c "${VETH}c"
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" "a network device named \"taken0\" already exists"
	ip link show "$VA"
	ip link show "${VETH}c"
	run nsenter --net="/run/netns/$NETNS" ip link show free0
	[ "$status" -ne 0 ]
}

@test "netDevices: an invalid name is refused before the container exists" {
	net_device "$VA" "bad/name"
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" ".linux.netDevices[\"$VA\"].name: \"bad/name\" is not a valid interface name"
	foundry state ct
	assert_contains "$output" "container does not exist"
	ip link show "$VA"
}

@test "netDevices: a container without a network namespace of its own is refused" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	net_device "$VA" ctr0
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" ".linux.netDevices: the container needs a network namespace of its own"
	ip link show "$VA"
}

@test "netDevices: a device that cannot leave its namespace (lo) is a clear error" {
	net_device lo lo2
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" "move network device \"lo\" into the container as \"lo2\": the kernel refused to move it"
	foundry state ct
	assert_contains "$output" "container does not exist"
	ip link show lo
}
