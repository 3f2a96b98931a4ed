#!/usr/bin/env bash
# The cgroup tests on a real pure cgroup v2 kernel: boots a throwaway VM with
# ../shared/tools/cg2vm.sh (only cgroup2 mounted, +cpu +memory +pids +io +cpuset enabled,
# an NVMe disk so io.max has a device) and runs tests/cg2/payload.sh there against the
# built foundry and a busybox bundle.  Prints the payload's PASS/FAIL lines and
# "N passed, N failed"; exits non-zero when a check failed or the VM did not finish.
#
#   tests/cg2/run.sh                    # uses ./foundry
#   FOUNDRY_BIN=/path/to/foundry tests/cg2/run.sh
#
# Env: CG2VM (the VM script), CG2_TIMEOUT (seconds per VM run, default 420).  A VM that
# hangs (exit 124) or never reports (125, a rare guest hang at boot) is retried once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel)
CG2VM=${CG2VM:-$top/../shared/tools/cg2vm.sh}
FOUNDRY_BIN=${FOUNDRY_BIN:-$top/foundry}
TIMEOUT=${CG2_TIMEOUT:-420}

[[ -x $FOUNDRY_BIN ]] || { echo "cg2: $FOUNDRY_BIN not built (run make first)" >&2; exit 2; }
[[ -x $CG2VM ]] || { echo "cg2: $CG2VM not found (shared/ must be beside the repository)" >&2; exit 2; }
FOUNDRY_BIN=$(readlink -f "$FOUNDRY_BIN")

work=$(mktemp -d /tmp/foundry-cg2.XXXXXX)
trap 'rm -rf "$work"' EXIT
payload=$work/payload
t=$payload/cg2test
mkdir -p "$t/b"

"$top/tests/fixtures/busybox-rootfs.sh" "$top/tests/.cache/rootfs" >/dev/null
cp -a "$top/tests/.cache/rootfs" "$t/rootfs"
cp "$here/payload.sh" "$t/payload.sh"
# In the payload, not at its host path: the guest mounts a tmpfs over /tmp.  (-b still
# brings its shared libraries.)
cp "$FOUNDRY_BIN" "$t/foundry"
printf 'FOUNDRY=/cg2test/foundry\n' >"$t/env"

if ! (cd "$work" && "$FOUNDRY_BIN" spec) >/dev/null 2>&1; then
	(cd "$work" && runc spec)
fi
base=$work/config.json

# bundle NAME JQ_EXPR [ARGS...]: /cg2test/b/NAME/config.json, cgroup /cg2test/NAME, with a
# cgroup namespace (the container sees its own cgroup as /) and the shared rootfs.
bundle() {
	local name=$1 expr=$2
	shift 2
	mkdir -p "$t/b/$name"
	jq --arg name "$name" --argjson args "$(jq -cn '$ARGS.positional' --args -- "$@")" '
		.process.terminal = false | .process.args = $args
		| .root = {"path": "/cg2test/rootfs", "readonly": false}
		| .linux.cgroupsPath = "/cg2test/" + $name
		| .linux.namespaces |= (map(select(.type != "cgroup")) + [{"type": "cgroup"}])
		| '"$expr" "$base" >"$t/b/$name/config.json"
}

hog='x=$(head -c 300000000 /dev/zero | tr "\0" a); echo survived'
mem='.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
bundle oom "$mem" sh -c "$hog"
bundle oomev "$mem" sh -c "while [ ! -e /go-oomev ]; do sleep 0.1; done; $hog; sleep 100"
bundle pids '.linux.resources.pids = {"limit": 10}' sh -c \
	'rm -f /fifo; mkfifo /fifo; (i=0; while [ $i -lt 40 ]; do sleep 100 & i=$((i+1)); done) 2>/dev/null; : >/forked; read x </fifo'
bundle cpu '.linux.resources.cpu = {"quota": 10000, "period": 100000, "shares": 1024}' sh -c 'while :; do :; done'
bundle cpuset '.linux.resources.cpu = {"cpus": "1", "mems": "0"}' sh -c \
	'grep Cpus_allowed_list /proc/self/status >/out-cpuset'
bundle io '.linux.resources.blockIO = {"weight": 500, "throttleReadBpsDevice": [{"major": 259, "minor": 0, "rate": 1048576}]}' \
	sleep 100
bundle ionodev '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": 259, "minor": 99, "rate": 1048576}]}' true
devcaps='.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"]
	| .process.capabilities.permitted += ["CAP_MKNOD"]'
kmsg='rm -f /tmp/k; mknod /tmp/k c 1 11 && echo foundry-cg2-device-test >/tmp/k'
bundle devdeny '.linux.resources.devices = [{"allow": false, "access": "rwm"}] | '"$devcaps" sh -c "$kmsg"
bundle devallow '.linux.resources.devices = [{"allow": false, "access": "rwm"},
	{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}] | '"$devcaps" sh -c "$kmsg"
bundle freeze '.' sh -c 'sleep 100 & while :; do sleep 0.1; done'
bundle update '.linux.resources = {"memory": {"limit": 33554432}, "pids": {"limit": 20}}' sleep 100
bundle unified '.linux.resources.unified = {"memory.high": "40960000", "pids.max": "7"}' sleep 100
bundle procs '.' sh -c 'cat /proc/self/cgroup >/out-procs; sleep 101 & sleep 102 & wait'
bundle escape '.linux.resources.unified = {"../memory.max": "1"}' true
# memory.high is kept in whole pages: use multiples of 4096.
echo '{"unified": {"memory.high": "51200000"}, "memory": {"limit": 67108864, "swap": 134217728}}' >"$t/update.json"
echo '{"memory": {"limit": 4096, "checkBeforeUpdate": true}}' >"$t/update-check.json"

truncate -s 16M "$work/disk.img"
export CG2VM_QUIET=1 CG2VM_MICROVM_OPTS=pcie=on
export CG2VM_QEMU_EXTRA="-drive file=$work/disk.img,if=none,id=n0,format=raw -device nvme,drive=n0,serial=foundry"

rc=0
for attempt in 1 2; do
	rc=0
	"$CG2VM" -b "$FOUNDRY_BIN" -t "$TIMEOUT" -l "$work/vm.log" "$payload" /cg2test/payload.sh >"$work/cg2vm.out" 2>&1 || rc=$?
	[[ $rc -ne 124 && $rc -ne 125 ]] && break
	echo "cg2: VM run $attempt ended with $rc (124: time limit, 125: no exit marker); $( ((attempt == 1)) && echo retrying)" >&2
	tail -n 20 "$work/vm.log" >&2 || true
done

tr -d '\r' <"$work/vm.log" | grep -E '^(PASS|FAIL|  |# )' || true
summary=$(tr -d '\r' <"$work/vm.log" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1 || true)
if [[ -z $summary ]]; then
	echo "cg2: the payload did not finish (exit $rc); last lines of the VM:" >&2
	tail -n 40 "$work/vm.log" >&2 || true
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$summary"
exit "$rc"
