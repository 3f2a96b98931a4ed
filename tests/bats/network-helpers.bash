#!/usr/bin/env bash
# Helpers for network*.bats: containers wired by foundry-xdp-hook, each test on its own
# network (name, /24 subnet, VNI), its own lease root and its own bpffs pin directory, so
# tests never share maps or leases with each other or with a real installation.
#
#   load helpers
#   load network-helpers
#   setup()    { net_setup; }
#   teardown() { net_teardown; }
#   net_run a; net_run b          # two containers (`foundry run -d`) running sleep
#   net_exec a ping -c1 "$(net_ip b)"   # a host tool inside a's network namespace

: "${FOUNDRY_XDP_HOOK:=$FY_TOP/foundry-xdp-hook}"

# Per-test network; the subnet's third octet comes from the test number so parallel files
# would not collide either.
net_setup() {
	[[ $(id -u) -eq 0 ]] || skip "network tests need root"
	# Not a skip: a missing hook is a broken build, and skipping would hide it.
	if [[ ! -x $FOUNDRY_XDP_HOOK ]]; then
		echo "foundry-xdp-hook is not built ($FOUNDRY_XDP_HOOK)" >&2
		return 1
	fi
	setup_bundle
	NET_N=$((BATS_SUITE_TEST_NUMBER % 250 + 1))
	NET_NAME=fytest$NET_N
	NET_SUBNET=10.199.$NET_N.0/24
	NET_PREFIX=10.199.$NET_N
	NET_GATEWAY=$NET_PREFIX.1
	NET_VNI=$((4000 + NET_N))
	NET_LEASES=$BATS_TEST_TMPDIR/leases
	NET_PIN=/sys/fs/bpf/foundry-test-$NET_N-$$
	NET_IDS=()
	NET_LINKS_BEFORE=$(net_host_links)
	set_args sleep 600
	update_config '.annotations = {"org.foundry.net.network": $n, "org.foundry.net.subnet": $s,
			"org.foundry.net.vni": $v}
		| .hooks = {"createRuntime": [{"path": $h, "args": ["foundry-xdp-hook", "--pin-dir", $p,
				"--lease-dir", $l, "createRuntime"]}],
			"poststop": [{"path": $h, "args": ["foundry-xdp-hook", "--pin-dir", $p,
				"--lease-dir", $l, "poststop"]}]}' \
		--arg n "$NET_NAME" --arg s "$NET_SUBNET" --arg v "$NET_VNI" --arg h "$FOUNDRY_XDP_HOOK" \
		--arg p "$NET_PIN" --arg l "$NET_LEASES"
}

# Deletes the containers (poststop runs the hook), then checks that the hook left nothing:
# host-side veths, leases, map entries.  What is left is recorded as a leak and removed.
net_teardown() {
	teardown_bundle
	local l
	for l in $(comm -13 <(echo "$NET_LINKS_BEFORE") <(net_host_links)); do
		fy_record_leak "veth $l left behind"
		ip link del "$l" 2>/dev/null || true
	done
	if compgen -G "$NET_LEASES/*/10.*" >/dev/null; then
		fy_record_leak "leases left: $(ls "$NET_LEASES"/*/10.* | tr '\n' ' ')"
	fi
	if [[ -e $NET_PIN/fdb ]] && [[ $(net_hook --json fdb list) != "[]" ]]; then
		fy_record_leak "fdb entries left: $(net_hook --json fdb list)"
	fi
	# Removing the pins frees the program and maps once no interface holds the program.
	rm -rf "$NET_PIN"
	return 0
}

# Host interfaces named like the hook's host ends.
net_host_links() {
	ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^fy' | sort || true
}

# foundry-xdp-hook with this test's pin and lease directories.
net_hook() {
	"$FOUNDRY_XDP_HOOK" --pin-dir "$NET_PIN" --lease-dir "$NET_LEASES" "$@"
}

# A copy of the test's bundle for container NAME, with extra jq edits ($2...).
net_bundle() {
	local name=$1 dir=$BATS_TEST_TMPDIR/bundle-$1
	shift
	if [[ ! -d $dir ]]; then
		mkdir -p "$dir"
		cp -a "$BUNDLE/rootfs" "$dir/rootfs"
	fi
	jq --arg cg "$FY_CGROUP_PATH-$name" '.linux.cgroupsPath = $cg' "$BUNDLE/config.json" >"$dir/config.json"
	if (($#)); then
		jq "$@" "$dir/config.json" >"$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
	fi
	echo "$dir"
}

# Container ids carry the test number: the host veth name is derived from the id.
net_id() {
	echo "n$NET_N-$1"
}

# net_run NAME [jq args...]: `foundry run -d` a container from its own bundle; fails the
# test when it does not start.
net_run() {
	local name=$1 dir
	shift
	dir=$(net_bundle "$name" "$@")
	foundry run -d --bundle "$dir" "$(net_id "$name")"
	if [[ $status -ne 0 ]]; then
		echo "net_run $name failed" >&2
		return 1
	fi
}

net_pid() {
	state_field "$(net_id "$1")" pid
}

# Runs a host command in container NAME's network namespace (nsenter, not `ip netns exec`,
# which remounts /sys and hides the pins).
net_exec() {
	local name=$1
	shift
	nsenter --net="/proc/$(net_pid "$name")/ns/net" "$@"
}

# The IPv4 address of container NAME's eth0.
net_ip() {
	net_exec "$1" ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1
}

# (/sys/class/net inside nsenter --net would still show the host's sysfs.)
net_mac() {
	net_exec "$1" ip -o link show dev eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2
}

# One counter of the forwarder, summed over CPUs.
net_counter() {
	net_hook --json status | jq -r ".counters.$1"
}

# TCP from container FROM to container TO with busybox nc: a line must arrive intact.
net_tcp_check() {
	local from=$1 to=$2 out=$BATS_TEST_TMPDIR/nc-$1-$2 ip
	ip=$(net_ip "$to")
	net_exec "$to" timeout 10 busybox nc -l -p 7000 >"$out" &
	local srv=$!
	local i
	for ((i = 0; i < 50; i++)); do
		net_exec "$to" ss -ltn 2>/dev/null | grep -q ':7000 ' && break
		sleep 0.1
	done
	echo "hello-from-$from" | net_exec "$from" timeout 10 busybox nc -w 3 "$ip" 7000 || true
	wait "$srv" || true
	if [[ $(cat "$out") != "hello-from-$from" ]]; then
		echo "TCP $from -> $to ($ip): got \"$(cat "$out")\"" >&2
		return 1
	fi
}

# iperf3 (TCP or UDP, 1 MB) from FROM to TO; prints the bytes (TCP) or packets (UDP) that got
# through, 0 on failure.
net_iperf_bytes() {
	local from=$1 to=$2 proto=$3 ip json
	ip=$(net_ip "$to")
	net_exec "$to" iperf3 -s -1 -D -p 5299 -I "$BATS_TEST_TMPDIR/iperf.pid"
	local i
	for ((i = 0; i < 50; i++)); do
		net_exec "$to" ss -ltn 2>/dev/null | grep -q ':5299 ' && break
		sleep 0.1
	done
	if [[ $proto == udp ]]; then
		json=$(net_exec "$from" timeout 20 iperf3 -c "$ip" -p 5299 -u -b 20M -n 1M --json 2>/dev/null) || true
		# iperf3's UDP receiver side: packets that arrived.
		echo "$json" | jq -r '(.end.sum.packets // 0) - (.end.sum.lost_packets // 0)'
	else
		json=$(net_exec "$from" timeout 20 iperf3 -c "$ip" -p 5299 -n 1M --json 2>/dev/null) || true
		# The receiver's total is snapshotted when the sender ends and may miss data still in
		# flight, so: no error, something received, and every byte sent.
		echo "$json" | jq -r 'if .error == null and (.end.sum_received.bytes // 0) > 0
			then .end.sum_sent.bytes else 0 end'
	fi
	echo "iperf3 $proto $from -> $to: $(echo "$json" | jq -c '{error, sent: .end.sum_sent.bytes, received: .end.sum_received.bytes}' 2>/dev/null)" >&2
	[[ -f $BATS_TEST_TMPDIR/iperf.pid ]] && kill "$(cat "$BATS_TEST_TMPDIR/iperf.pid")" 2>/dev/null
	rm -f "$BATS_TEST_TMPDIR/iperf.pid"
	return 0
}
