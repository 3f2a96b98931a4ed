#!/usr/bin/env bats
# foundry-xdp-hook: containers wired into the XDP forwarder (no Linux bridge), their
# lifecycle, and bad input.  Every test has its own network, leases and pin directory.

load helpers
load network-helpers

setup() {
	net_setup
}

teardown() {
	net_teardown
}

@test "network: two containers reach each other by ping, TCP and UDP both ways, through the forwarder" {
	net_run a
	net_run b
	local ip_a ip_b redirected_before arp_before passed_before
	ip_a=$(net_ip a)
	ip_b=$(net_ip b)
	[ "$ip_a" = "$NET_PREFIX.2" ]
	[ "$ip_b" = "$NET_PREFIX.3" ]
	redirected_before=$(net_counter redirected)
	arp_before=$(net_counter arp_answered)
	passed_before=$(net_counter passed_to_host)

	net_exec a busybox ping -c 2 -W 2 "$ip_b"
	net_exec b busybox ping -c 2 -W 2 "$ip_a"
	# Not ping alone: a lost partial checksum passes ping and breaks TCP and UDP.
	net_tcp_check a b
	net_tcp_check b a
	[ "$(net_iperf_bytes a b tcp)" -ge 1048576 ]
	[ "$(net_iperf_bytes b a tcp)" -ge 1048576 ]
	[ "$(net_iperf_bytes a b udp)" -gt 0 ]
	[ "$(net_iperf_bytes b a udp)" -gt 0 ]

	# ARP for the peer was answered in XDP with the peer's MAC, and traffic was redirected
	# by the forwarder rather than passed to the host stack.
	[ "$(net_exec a ip neigh show "$ip_b" | awk '{print $5}')" = "$(net_mac b)" ]
	[ "$(net_counter arp_answered)" -gt "$arp_before" ]
	# 4 MB of TCP in frames of at most 65000 bytes (the default MTU) is more than 64 frames.
	local redirected passed
	redirected=$(($(net_counter redirected) - redirected_before))
	passed=$(($(net_counter passed_to_host) - passed_before))
	echo "redirected $redirected, passed to host $passed" >&2
	[ "$redirected" -gt 64 ]
	[ "$passed" -lt $((redirected / 10)) ]
	[ "$(net_counter drop_redirect_failed)" -eq 0 ]
	# Nothing went through a bridge: there is none with our ports.
	[ -z "$(ip -o link show type bridge | grep -F "$NET_NAME" || true)" ]
}

@test "network: the host reaches both containers through the gateway address" {
	net_run a
	net_run b
	local passed_before
	passed_before=$(net_counter passed_to_host)
	busybox ping -c 1 -W 2 "$(net_ip a)"
	busybox ping -c 1 -W 2 "$(net_ip b)"
	net_exec a busybox ping -c 1 -W 2 "$NET_GATEWAY"
	[ "$(net_counter passed_to_host)" -gt "$passed_before" ]
}

@test "network: eth0 has its lease, MAC and MTU, the default route via the gateway, GRO on and tx checksumming off" {
	net_run a --arg m 02:fd:00:00:aa:01 '.annotations["org.foundry.net.mac"] = $m
		| .annotations["org.foundry.net.mtu"] = "4000"'
	[ "$(net_ip a)" = "$NET_PREFIX.2" ]
	[ "$(net_mac a)" = 02:fd:00:00:aa:01 ]
	[ "$(net_exec a ip -o link show dev eth0 | grep -o 'mtu [0-9]*')" = "mtu 4000" ]
	[ "$(net_exec a ip -4 route show default | awk '{print $3, $5}')" = "$NET_GATEWAY eth0" ]
	net_exec a ethtool -k eth0 | grep -q '^generic-receive-offload: on'
	net_exec a ethtool -k eth0 | grep -q '^tx-checksumming: off'
	[ "$(cat "$NET_LEASES/$NET_NAME/$NET_PREFIX.2")" = "$(net_id a)" ]
	# The forwarder is attached to the host end.
	[ "$(net_hook --json status | jq '.program_id')" = "$(net_hook --json status | jq '.ports[0].attached_program_id')" ]
}

@test "network: delete removes the veth pair, the fdb, neigh and port entries and the lease" {
	net_run a
	net_run b
	[ "$(net_hook --json fdb list | jq length)" -eq 2 ]
	[ "$(net_hook --json status | jq '.ports | length')" -eq 2 ]
	foundry_ok kill "$(net_id a)" KILL
	wait_for_status "$(net_id a)" stopped
	foundry_ok delete "$(net_id a)"
	[ "$(net_hook --json fdb list | jq length)" -eq 1 ]
	[ "$(net_hook --json fdb list | jq -r '.[0].mac')" = "$(net_mac b)" ]
	[ "$(net_hook --json status | jq '.ports | length')" -eq 1 ]
	[ ! -e "$NET_LEASES/$NET_NAME/$NET_PREFIX.2" ]
	[ -e "$NET_LEASES/$NET_NAME/$NET_PREFIX.3" ]
	[ "$(comm -13 <(echo "$NET_LINKS_BEFORE") <(net_host_links) | wc -l)" -eq 1 ]
}

@test "network: running createRuntime again with the same state changes nothing" {
	net_run a
	local state before after
	state=$(state_json "$(net_id a)")
	snapshot() {
		ip -o addr show
		ip route show
		net_host_links
		net_hook --json fdb list
		net_hook --json status | jq -c 'del(.counters)'
		ls "$NET_LEASES/$NET_NAME"
		net_exec a ip -o addr show
		net_exec a ip route show
		net_exec a ethtool -k eth0
	}
	before=$(snapshot)
	echo "$state" | net_hook createRuntime
	after=$(snapshot)
	diff <(echo "$before") <(echo "$after")
	net_exec a busybox ping -c 1 -W 2 "$NET_GATEWAY"
}

@test "network: poststop cleans up after a createRuntime killed at any step" {
	local step pid state
	# --kill-child: killing the holder must not leave its sleep behind; no output fd of
	# bats may stay open in it either, or bats waits for it at the end of the run.
	unshare --net --fork --kill-child sleep 600 >/dev/null 2>&1 </dev/null &
	local holder=$!
	# unshare --fork ignores SIGTERM while it waits for its child.
	fy_defer kill -9 "$holder"
	for ((i = 0; i < 50; i++)); do
		pid=$(pgrep -P "$holder" || true)
		[[ -n $pid ]] && break
		sleep 0.1
	done
	[ -n "$pid" ]
	for step in lease veth container host port maps; do
		state=$(jq -cn --arg id "$(net_id killed)" --argjson pid "$pid" --arg n "$NET_NAME" --arg s "$NET_SUBNET" \
			--arg v "$NET_VNI" '{ociVersion: "1.3.0", id: $id, status: "creating", pid: $pid, bundle: "/",
				annotations: {"org.foundry.net.network": $n, "org.foundry.net.subnet": $s,
					"org.foundry.net.vni": $v}}')
		run env FOUNDRY_XDP_TEST_KILL_AT=$step "$FOUNDRY_XDP_HOOK" --pin-dir "$NET_PIN" \
			--lease-dir "$NET_LEASES" createRuntime <<<"$state"
		echo "step $step: status $status" >&2
		[ "$status" -eq 137 ]
		echo "$state" | net_hook poststop
		[ -z "$(comm -13 <(echo "$NET_LINKS_BEFORE") <(net_host_links))" ]
		[ -z "$(ls "$NET_LEASES/$NET_NAME" | grep '^10\.' || true)" ]
		[ "$(net_hook --json fdb list)" = "[]" ]
		[ "$(net_hook --json status | jq '.ports | length')" -eq 0 ]
		[ -z "$(nsenter --net=/proc/$pid/ns/net ip -o link show eth0 2>/dev/null)" ]
		# poststop twice is still fine
		echo "$state" | net_hook poststop
	done
}

@test "network: reloading the forwarder keeps the maps and forwarding" {
	net_run a
	net_run b
	local old new
	old=$(net_hook --json status | jq .program_id)
	run net_hook reload
	[ "$status" -eq 0 ]
	new=$(net_hook --json status | jq .program_id)
	[ "$new" != "$old" ]
	[ "$(net_hook --json fdb list | jq length)" -eq 2 ]
	[ "$(net_hook --json status | jq --argjson id "$new" '[.ports[] | select(.attached_program_id == $id)] | length')" -eq 2 ]
	net_exec a busybox ping -c 1 -W 2 "$(net_ip b)"
	net_tcp_check a b
}

@test "network: a bad address, VNI or MAC annotation is refused with an error naming it, leaving nothing" {
	local ann value want
	while IFS='|' read -r ann value want; do
		net_bundle bad --arg k "org.foundry.net.$ann" --arg v "$value" '.annotations[$k] = $v' >/dev/null
		foundry run -d --bundle "$BATS_TEST_TMPDIR/bundle-bad" "$(net_id bad)"
		[ "$status" -ne 0 ]
		assert_contains "$output" "org.foundry.net.$ann=\"$value\""
		assert_contains "$output" "$want"
		foundry delete --force "$(net_id bad)"
		[ -z "$(comm -13 <(echo "$NET_LINKS_BEFORE") <(net_host_links))" ]
		[ -z "$(ls "$NET_LEASES/$NET_NAME" 2>/dev/null | grep '^10\.' || true)" ]
		if [[ -e $NET_PIN/fdb ]]; then [ "$(net_hook --json fdb list)" = "[]" ]; fi
	done <<-EOF
		address|10.199.0.300|expected an IPv4 address
		address|192.0.2.7|inside the subnet
		vni|0|1 to 16777215
		vni|twelve|1 to 16777215
		mac|01:00:5e:00:00:01|unicast MAC
		mac|02:fd:zz:00:00:01|six hex pairs
	EOF
}

@test "network: ten containers started in parallel get distinct addresses and reach each other" {
	local i pids=() ips
	for i in $(seq 1 10); do
		net_bundle "p$i" >/dev/null
	done
	for i in $(seq 1 10); do
		"$FOUNDRY_BIN" --root "$FY_ROOT" run -d --bundle "$BATS_TEST_TMPDIR/bundle-p$i" "$(net_id "p$i")" \
			</dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/p$i.err" 3>&- &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || { cat "$BATS_TEST_TMPDIR"/p*.err >&2; false; }
	done
	ips=$(for i in $(seq 1 10); do net_ip "p$i"; done | sort -u)
	[ "$(echo "$ips" | wc -l)" -eq 10 ]
	[ "$(ls "$NET_LEASES/$NET_NAME" | grep -c '^10\.')" -eq 10 ]
	for i in $(seq 2 10); do
		net_exec p1 busybox ping -c 1 -W 2 "$(net_ip "p$i")"
		net_exec "p$i" busybox ping -c 1 -W 2 "$(net_ip p1)"
	done
}

@test "network: fdb add, list and del for a REMOTE entry, as text and JSON" {
	net_run a
	net_hook fdb add --vni "$NET_VNI" --mac 02:fd:00:00:00:99 --remote 192.0.2.10
	net_hook --json fdb list | jq -e --arg v "$NET_VNI" \
		'.[] | select(.mac == "02:fd:00:00:00:99" and .type == "remote" and .remote == "192.0.2.10" and (.vni|tostring) == $v)'
	net_hook fdb list | grep -q '02:fd:00:00:00:99 remote 192.0.2.10'
	run net_hook fdb add --vni 0 --mac 02:fd:00:00:00:99 --remote 192.0.2.10
	[ "$status" -ne 0 ]
	assert_contains "$output" "--vni"
	net_hook fdb del --vni "$NET_VNI" --mac 02:fd:00:00:00:99
	[ "$(net_hook --json fdb list | jq length)" -eq 1 ]
	run net_hook fdb del --vni "$NET_VNI" --mac 02:fd:00:00:00:99
	[ "$status" -ne 0 ]
}

@test "network: a container with the hook and no annotations gets the default network" {
	net_run d '.annotations = {}'
	local ip
	ip=$(net_ip d)
	[[ $ip == 10.88.* ]]
	[ -e "$NET_LEASES/foundry/$ip" ]
	busybox ping -c 1 -W 2 "$ip"
}

@test "network: mode=tc serves the same maps on the skb path, and reaches XDP-mode containers both ways" {
	net_run t1 '.annotations["org.foundry.net.mode"] = "tc"'
	net_run t2 '.annotations["org.foundry.net.mode"] = "tc"'
	net_run x
	[ "$(net_hook --json status | jq -r --arg ip "$(net_ip t1)" '.ports[] | select(.address == $ip) | .mode')" = tc ]
	[ "$(net_hook --json status | jq -r --arg ip "$(net_ip x)" '.ports[] | select(.address == $ip) | .mode')" = xdp ]
	# tc keeps the skb, so the container keeps its checksum offload.
	net_exec t1 ethtool -k eth0 | grep -q '^tx-checksumming: on'
	local redirected_before
	redirected_before=$(net_counter redirected)
	net_exec t1 busybox ping -c 1 -W 2 "$(net_ip t2)"
	net_tcp_check t1 t2
	net_tcp_check t2 t1
	[ "$(net_iperf_bytes t1 t2 udp)" -gt 0 ]
	net_tcp_check t1 x
	net_tcp_check x t1
	[ "$(net_iperf_bytes x t1 tcp)" -ge 1048576 ]
	[ "$(net_iperf_bytes t1 x tcp)" -ge 1048576 ]
	[ "$(net_counter redirected)" -gt "$redirected_before" ]
	busybox ping -c 1 -W 2 "$(net_ip t1)"
}
