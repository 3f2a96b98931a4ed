#!/bin/bash
# East-west between two network namespaces, side by side in one run (a benchmark, not a
# test: it measures and prints, it asserts nothing):
#
#   direct        a veth pair between the two namespaces (the ceiling)
#   bridge        each namespace on a veth into a Linux bridge (what podman does), MTU 1500
#   bridge-65000  the same with MTU 65000, to compare like with like
#   foundry       two namespaces wired by foundry-xdp-hook (XDP forwarder, its default MTU 65000)
#   foundry-1500  the same with org.foundry.net.mtu=1500
#   tc-1500       foundry-xdp-hook with org.foundry.net.mode=tc (the same maps, a tc program
#                 on the skb path), MTU 1500
#   tc-65000      the same at MTU 65000
#
# For each: iperf3 TCP single stream (Gbit/s), iperf3 UDP with 64-byte payloads (kpps received,
# loss %), TCP ping-pong round trip (us, tests/bench/network-pingpong.c).  Medians of REPS runs, variants interleaved.  Ratios
# are against "bridge".  Run as root from the build tree:  tests/bench/network-bench.sh
#
# Environment: REPS (3), DUR seconds per iperf3 run (5), FOUNDRY_XDP_HOOK (./foundry-xdp-hook).
# Only namespaces, links, pins and leases it creates are touched; all go at exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
HOOK=${FOUNDRY_XDP_HOOK:-$TOP/foundry-xdp-hook}
REPS=${REPS:-3}
DUR=${DUR:-5}
PINGS=${PINGS:-20000}
PIN=/sys/fs/bpf/foundry-bench-$$
LEASES=$(mktemp -d /tmp/foundry-bench-leases.XXXXXX)
TAG=fyb$$
VARIANTS=(direct bridge bridge-65000 foundry foundry-1500 tc-1500 tc-65000)
HOLDERS=()
PINGPONG=$LEASES/network-pingpong

[[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }
for t in iperf3 jq cc nsenter bc; do
	command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }
done
[[ -x $HOOK ]] || { echo "build foundry-xdp-hook first ($HOOK)" >&2; exit 1; }
cc -O2 -o "$PINGPONG" "$HERE/network-pingpong.c"

ns() { echo "$TAG-$1"; }
in_ns() {
	local n=$1
	shift
	nsenter --net="/run/netns/$(ns "$n")" "$@"
}
hook() { "$HOOK" --pin-dir "$PIN" --lease-dir "$LEASES" "$@"; }

cleanup() {
	set +e
	for v in foundry foundry-1500 tc-1500 tc-65000; do
		for side in a b; do
			printf '{"ociVersion":"1.3.0","id":"%s","status":"stopped","bundle":"/"}' "$TAG-$v-$side" |
				hook poststop 2>/dev/null
		done
	done
	for p in "${HOLDERS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for v in "${VARIANTS[@]}"; do
		ip netns del "$(ns "$v-a")" 2>/dev/null
		ip netns del "$(ns "$v-b")" 2>/dev/null
	done
	for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$TAG" || true); do
		ip link del "$l" 2>/dev/null
	done
	rm -rf "$PIN" "$LEASES"
}
trap cleanup EXIT

# Each variant: namespaces $v-a, $v-b; the address of b is printed by setup_*.
setup_direct() {
	ip netns add "$(ns direct-a)"
	ip netns add "$(ns direct-b)"
	ip link add "$TAG-da" netns "$(ns direct-a)" type veth peer name "$TAG-db" netns "$(ns direct-b)"
	in_ns direct-a ip link set "$TAG-da" name eth0
	in_ns direct-b ip link set "$TAG-db" name eth0
	in_ns direct-a ip addr add 10.198.1.1/24 dev eth0
	in_ns direct-b ip addr add 10.198.1.2/24 dev eth0
	for s in a b; do
		in_ns "direct-$s" ip link set eth0 up
		in_ns "direct-$s" ip link set lo up
	done
}

setup_bridge() { # name mtu subnet-octet
	local v=$1 mtu=$2 o=$3 br="$TAG-br$3" i=1
	ip link add "$br" type bridge
	ip link set "$br" mtu "$mtu" up
	for s in a b; do
		ip netns add "$(ns "$v-$s")"
		ip link add "$TAG-$o$s" mtu "$mtu" type veth peer name eth0 mtu "$mtu" netns "$(ns "$v-$s")"
		ip link set "$TAG-$o$s" master "$br" up
		in_ns "$v-$s" ip addr add "10.198.$o.$i/24" dev eth0
		in_ns "$v-$s" ip link set eth0 up
		in_ns "$v-$s" ip link set lo up
		i=$((i + 1))
	done
}

setup_foundry() { # name mtu subnet-octet [mode]
	local v=$1 mtu=$2 o=$3 mode=${4:-xdp} pid state
	for s in a b; do
		ip netns add "$(ns "$v-$s")"
		nsenter --net="/run/netns/$(ns "$v-$s")" sleep 100000 &
		pid=$!
		HOLDERS+=("$pid")
		state=$(jq -cn --arg id "$TAG-$v-$s" --argjson pid "$pid" --arg n "$TAG-$v" --arg sub "10.198.$o.0/24" \
			--arg mtu "$mtu" --arg mode "$mode" '{ociVersion: "1.3.0", id: $id, status: "creating", pid: $pid, bundle: "/",
			annotations: {"org.foundry.net.network": $n, "org.foundry.net.subnet": $sub,
				"org.foundry.net.vni": "77", "org.foundry.net.mtu": $mtu,
				"org.foundry.net.mode": $mode}}')
		# The holder must be in the namespace before the hook looks at /proc/<pid>/ns/net.
		for _ in $(seq 50); do
			[[ $(readlink "/proc/$pid/ns/net") == $(readlink "/proc/self/ns/net") ]] || break
			sleep 0.05
		done
		hook createRuntime <<<"$state"
	done
}

addr_of() { in_ns "$1" ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1; }

run_tcp() { # a b
	local ip json
	ip=$(addr_of "$2")
	in_ns "$2" iperf3 -s -1 -D -p 5301
	sleep 0.3
	json=$(in_ns "$1" iperf3 -c "$ip" -p 5301 -t "$DUR" --json) || { echo 0; return; }
	echo "$json" | jq -r '.end.sum_received.bits_per_second / 1e9'
}

run_udp() { # a b -> "kpps loss%"
	local ip json
	ip=$(addr_of "$2")
	in_ns "$2" iperf3 -s -1 -D -p 5302
	sleep 0.3
	json=$(in_ns "$1" iperf3 -c "$ip" -p 5302 -u -l 64 -b 0 -t "$DUR" --json) || { echo "0 100"; return; }
	echo "$json" | jq -r '.end.sum | "\((.packets - .lost_packets) / .seconds / 1000) \(.lost_percent)"'
}

run_lat() { # a b
	local ip out
	ip=$(addr_of "$2")
	in_ns "$2" "$PINGPONG" server 5303 &
	local srv=$!
	out=$(in_ns "$1" "$PINGPONG" client "$ip" 5303 "$PINGS") || out=0
	wait "$srv" 2>/dev/null || true
	echo "$out"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "setting up ${VARIANTS[*]} ..." >&2
setup_direct
setup_bridge bridge 1500 2
setup_bridge bridge-65000 65000 4
setup_foundry foundry 65000 3
setup_foundry foundry-1500 1500 5
setup_foundry tc-1500 1500 6 tc
setup_foundry tc-65000 65000 7 tc
# Neighbours resolved and paths warm before the first measurement.
for v in "${VARIANTS[@]}"; do
	if ! in_ns "$v-a" busybox ping -c 2 -W 2 "$(addr_of "$v-b")" >/dev/null; then
		echo "$v: b is not reachable from a" >&2
		in_ns "$v-b" ip -br addr >&2
		exit 1
	fi
done

declare -A TCP UDP LOSS LAT
for ((r = 1; r <= REPS; r++)); do
	for v in "${VARIANTS[@]}"; do
		echo "run $r/$REPS: $v" >&2
		TCP[$v]+="$(run_tcp "$v-a" "$v-b") "
		read -r k l <<<"$(run_udp "$v-a" "$v-b")"
		UDP[$v]+="$k "
		LOSS[$v]+="$l "
		LAT[$v]+="$(run_lat "$v-a" "$v-b") "
	done
done

med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | median; }
printf '\n%-13s %10s %12s %9s %12s   %s\n' variant "TCP Gbit/s" "UDP-64 kpps" "UDP loss" "pingpong us" "ratio to bridge (TCP, UDP pps, latency)"
bt=$(med "${TCP[bridge]}")
bu=$(med "${UDP[bridge]}")
bl=$(med "${LAT[bridge]}")
for v in "${VARIANTS[@]}"; do
	t=$(med "${TCP[$v]}")
	u=$(med "${UDP[$v]}")
	l=$(med "${LOSS[$v]}")
	p=$(med "${LAT[$v]}")
	printf '%-13s %10.2f %12.1f %8.2f%% %12.1f   %.2fx %.2fx %.2fx\n' "$v" "$t" "$u" "$l" "$p" \
		"$(echo "$t / $bt" | bc -l)" "$(echo "$u / $bu" | bc -l)" "$(echo "$p / $bl" | bc -l)"
done
echo
echo "(latency ratio < 1 is better; each cell is the median of $REPS runs of ${DUR}s; loss is the median loss)"
if [[ -e $PIN/counters ]]; then
	echo
	"$HOOK" --pin-dir "$PIN" status | sed -n '/^counters:/,$p'
fi
