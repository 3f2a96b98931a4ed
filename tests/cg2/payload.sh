#!/bin/sh
# Runs inside the cg2vm guest (busybox sh, pure cgroup v2, nothing else running).
# Bundles and the rootfs were prepared by tests/cg2/run.sh under /cg2test.
# Prints one PASS/FAIL line per check and ends with "N passed, N failed".
. /cg2test/env
R=/cg2test/rootfs
CG=/sys/fs/cgroup/cg2test
pass=0
fail=0

fy() { "$FOUNDRY" --root /run/foundry-cg2 "$@"; }
ok() { pass=$((pass + 1)); echo "PASS: $1"; }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; [ -n "$2" ] && echo "  $2"; return 0; }
# check DESCRIPTION COMMAND...: one check, the command's output shown when it fails.
check() {
	d=$1
	shift
	if out=$("$@" 2>&1); then ok "$d"; else ko "$d" "$(echo "$out" | head -n 5 | tr '\n' ' ')"; fi
}
# Polls (20 s at most: a deadlock guard, TCG is slow) until the command succeeds.
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
is() { [ "$(cat "$1" 2>&1)" = "$2" ] || { echo "$1: got \"$(cat "$1" 2>&1)\", want \"$2\""; return 1; }; }
has() { grep -q -- "$2" "$1" || { echo "$1: no \"$2\" in: $(cat "$1" 2>&1 | head -n 3)"; return 1; }; }
stat_gt0() { [ "$(awk -v k="$2" '$1 == k {print $2}' "$1")" -gt 0 ] 2>/dev/null; }
run_fg() { (cd "/cg2test/b/$1" && fy run "$1"); }
run_bg() { (cd "/cg2test/b/$1" && fy run --detach "$1"); }
gone() { [ ! -e "$CG/$1" ] || { echo "$CG/$1 is still there"; return 1; }; }
status_of() { fy state "$1" 2>/dev/null | grep -o '"status": *"[a-z]*"' | grep -o '[a-z]*"$' | tr -d '"'; }

echo "# foundry $("$FOUNDRY" --version | head -n1), kernel $(uname -r), $(cat /sys/fs/cgroup/cgroup.controllers)"

# ---- memory ------------------------------------------------------------------------------
run_fg oom >/tmp/oom.out 2>&1
st=$?
check "memory: a hog over memory.max is OOM-killed, exit 137 (got $st)" [ "$st" = 137 ]
check "memory: the cgroup is gone after the foreground run" gone oom

run_bg oomev >/dev/null 2>&1
check "memory: memory.max from limit" is $CG/oomev/memory.max 33554432
check "memory: memory.swap.max is swap - limit" is $CG/oomev/memory.swap.max 0
fy events --interval 1s oomev >/tmp/oomev.events 2>&1 &
evpid=$!
wait_for grep -q '"type":"stats"' /tmp/oomev.events
: >$R/go-oomev
check "memory: events reports the OOM kill" wait_for grep -q '^{"type":"oom","id":"oomev"}$' /tmp/oomev.events
kill $evpid 2>/dev/null
fy delete --force oomev
check "memory: no cgroup left after delete" gone oomev

# ---- pids -----------------------------------------------------------------------------------
run_bg pids >/dev/null 2>&1
check "pids: the fork bomb finished trying" wait_for test -e $R/forked
check "pids: pids.max is 10" is $CG/pids/pids.max 10
check "pids: pids.current stays at or below 10" sh -c "[ \$(cat $CG/pids/pids.current) -le 10 ]"
check "pids: the kernel refused forks (pids.events max > 0)" stat_gt0 $CG/pids/pids.events max
fy delete --force pids

# ---- cpu -------------------------------------------------------------------------------------
run_bg cpu >/dev/null 2>&1
check "cpu: cpu.max from quota and period" is $CG/cpu/cpu.max "10000 100000"
check "cpu: cpu.weight converted from shares 1024" is $CG/cpu/cpu.weight 39
check "cpu: a busy loop is throttled (cpu.stat nr_throttled > 0)" wait_for stat_gt0 $CG/cpu/cpu.stat nr_throttled
fy events --stats cpu >/tmp/cpu.stats 2>&1
check "cpu: events --stats shows throttled periods" sh -c "grep -q '\"throttledPeriods\":[1-9]' /tmp/cpu.stats"
fy delete --force cpu

# ---- cpuset ------------------------------------------------------------------------------------
run_fg cpuset >/dev/null 2>&1
check "cpuset: the container runs on cpu 1 only" has $R/out-cpuset 'Cpus_allowed_list:[[:space:]]*1$'
run_bg cpuset >/dev/null 2>&1
fy delete --force cpuset

# ---- io ------------------------------------------------------------------------------------------
run_bg io >/tmp/io.out 2>&1
check "io: io.max from throttleReadBpsDevice on the NVMe disk (259:0)" has $CG/io/io.max '259:0 rbps=1048576'
check "io: io.weight from blockIO.weight 500 (converted to 4950)" has $CG/io/io.weight 'default 4950'
fy delete --force io
run_fg ionodev >/tmp/ionodev.out 2>&1
check "io: a throttle on a device that does not exist fails naming the resource and io.max" sh -c \
	"grep -q 'linux.resources.blockIO.throttleReadBpsDevice' /tmp/ionodev.out && grep -q 'io.max' /tmp/ionodev.out"
check "io: and leaves no cgroup" gone ionodev

# ---- devices (eBPF) --------------------------------------------------------------------------
run_fg devdeny >/tmp/devdeny.out 2>&1
check "devices: the BPF program denies c 1:11 under a deny-all rule" has /tmp/devdeny.out 'not permitted'
run_fg devallow >/tmp/devallow.out 2>&1
check "devices: an allow rule for c 1:11 w lets the write through" [ $? = 0 ]

# ---- freeze ----------------------------------------------------------------------------------
run_bg freeze >/dev/null 2>&1
fy pause freeze
check "freeze: pause sets cgroup.freeze" is $CG/freeze/cgroup.freeze 1
check "freeze: cgroup.events reports frozen 1" has $CG/freeze/cgroup.events 'frozen 1'
check "freeze: state is paused" [ "$(status_of freeze)" = paused ]
fy resume freeze
check "freeze: resume thaws (frozen 0)" has $CG/freeze/cgroup.events 'frozen 0'
check "freeze: state is running again" [ "$(status_of freeze)" = running ]
fy pause freeze
fy kill --all freeze KILL
check "freeze: kill --all reaches a paused container" wait_for sh -c "[ -z \"\$(cat $CG/freeze/cgroup.procs)\" ]"
fy delete --force freeze
check "freeze: no cgroup left" gone freeze

# ---- update ----------------------------------------------------------------------------------
run_bg update >/dev/null 2>&1
fy update --memory 64m --pids-limit 55 --cpu-quota 30000 --cpu-period 100000 update
check "update: memory.max" is $CG/update/memory.max 67108864
check "update: pids.max" is $CG/update/pids.max 55
check "update: cpu.max" is $CG/update/cpu.max "30000 100000"
fy update --resources /cg2test/update.json update
check "update: --resources sets memory.swap.max to swap - limit" is $CG/update/memory.swap.max 67108864
check "update: --resources unified memory.high" is $CG/update/memory.high 51200000
fy update --resources /cg2test/update-check.json update >/tmp/upd.out 2>&1
check "update: checkBeforeUpdate refuses a limit below the usage" has /tmp/upd.out checkBeforeUpdate
check "update: and memory.max is unchanged" is $CG/update/memory.max 67108864
fy delete --force update

# ---- unified, cgroup namespace, ps ---------------------------------------------------------------
run_bg unified >/dev/null 2>&1
check "unified: memory.high written" is $CG/unified/memory.high 40960000
check "unified: pids.max written" is $CG/unified/pids.max 7
fy delete --force unified
run_fg escape >/tmp/escape.out 2>&1
check "unified: a key that leaves the directory is refused" has /tmp/escape.out "not a file in the container's cgroup directory"

run_bg procs >/dev/null 2>&1
wait_for test -s $R/out-procs
check "cgroup ns: the container sees its cgroup as /" is $R/out-procs "0::/"
pid=$(fy state procs | grep '"pid"' | grep -o '[0-9]*')
check "clone: the init is in /cg2test/procs from its first instruction" is /proc/$pid/cgroup "0::/cg2test/procs"
wait_for sh -c "[ \$(wc -l <$CG/procs/cgroup.procs) -eq 3 ]"
check "ps: --format json lists the 3 processes" sh -c "fy() { \"$FOUNDRY\" --root /run/foundry-cg2 \"\$@\"; }; fy ps --format json procs | grep -q '^\[[0-9]*,[0-9]*,[0-9]*\]$'"
fy delete --force procs

check "nothing is left under /cg2test" sh -c "[ -z \"\$(find $CG -mindepth 1 -type d)\" ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
