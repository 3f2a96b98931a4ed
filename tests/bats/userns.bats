#!/usr/bin/env bats
# config-linux.md "User namespace mappings" and "Namespaces" (user, time), from the user's
# side: what the process sees of its ids and maps, who owns what it creates on the host,
# devices and locked mount flags inside a user namespace, a user namespace joined by path,
# and linux.timeOffsets.

load helpers

# Container ids 0..65535 are host ids 100000..165535.
HOST_BASE=100000
MAP_SIZE=65536

setup() {
	setup_bundle
	update_config '.root.readonly = false
		| .linux.namespaces = [{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},
			{"type":"mount"},{"type":"cgroup"}]'
}

teardown() {
	teardown_bundle
}

# The rootfs, owned by the mapped ids and copied where the container's root (host uid
# 100000) can reach it: this run's temporary directory is 0700 and owned by host root,
# whom the container cannot impersonate.
userns_rootfs() {
	USERNS_DIR=$(mktemp -d /tmp/fy-userns.XXXXXX)
	fy_defer rm -rf "$USERNS_DIR"
	chmod 0711 "$USERNS_DIR"
	cp -a "$ROOTFS" "$USERNS_DIR/rootfs"
	chown -R -h "$HOST_BASE:$HOST_BASE" "$USERNS_DIR/rootfs"
	chown -h "$((HOST_BASE + 1000)):$((HOST_BASE + 1000))" "$USERNS_DIR/rootfs/home/user"
	update_config '.root.path = $r' --arg r "$USERNS_DIR/rootfs"
}

# A new user namespace with the 0 -> 100000 (65536) mappings.
new_userns() {
	userns_rootfs
	update_config '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":$b,"size":$n}]
		| .linux.gidMappings = [{"containerID":0,"hostID":$b,"size":$n}]' \
		--argjson b "$HOST_BASE" --argjson n "$MAP_SIZE"
}

# A process in a user namespace of its own, mapped like new_userns, that a container can
# join by path; its pid in $HOLDER.  The maps are written from here, as root, so no
# newuidmap is needed.
start_userns_holder() {
	local pidfile=$BATS_TEST_TMPDIR/holder.pid i
	unshare --user sh -c "echo \$\$ >$pidfile; exec sleep 600" </dev/null >/dev/null 2>&1 3>&- &
	for ((i = 0; i < 100; i++)); do
		[[ -s $pidfile ]] && break
		sleep 0.1
	done
	HOLDER=$(<"$pidfile")
	fy_defer kill_holder "$HOLDER"
	echo "0 $HOST_BASE $MAP_SIZE" >"/proc/$HOLDER/uid_map"
	echo "0 $HOST_BASE $MAP_SIZE" >"/proc/$HOLDER/gid_map"
}

# The holder is this shell's child: reap it, or its zombie outlives the test.
kill_holder() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# The lines of a /proc/<pid>/{uid,gid}_map with the padding squeezed: "0 100000 65536".
squeeze() {
	awk '{ $1 = $1; print }' <<<"$1"
}

@test "userns: uidMappings and gidMappings are the process's uid_map and gid_map, and it is root inside" {
	new_userns
	set_args sh -c 'id -u; id -g; cat /proc/self/uid_map; cat /proc/self/gid_map'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "$(squeeze "${lines[2]}")" = "0 $HOST_BASE $MAP_SIZE" ]
	[ "$(squeeze "${lines[3]}")" = "0 $HOST_BASE $MAP_SIZE" ]
}

@test "userns: the container's user namespace is its own and the host's root is nobody inside" {
	new_userns
	set_args sh -c 'readlink /proc/self/ns/user; stat -c %u /proc/sys/kernel/hostname'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" != "$(host_ns user)" ]
	# /proc/sys/kernel files belong to the host's root, who has no id inside.
	[ "${lines[1]}" = "$(cat /proc/sys/kernel/overflowuid)" ]
}

@test "userns: files created inside, by run and by exec, belong to the mapped ids on the host" {
	new_userns
	set_args sh -c 'touch /tmp/by-init; exec sleep 600'
	foundry_ok run --detach --bundle "$BUNDLE" ct
	foundry_ok exec ct touch /tmp/by-exec
	foundry_ok exec --user 1000:1000 ct touch /home/user/by-user
	local r=$USERNS_DIR/rootfs
	[ "$(stat -c %u:%g "$r/tmp/by-init")" = "$HOST_BASE:$HOST_BASE" ]
	[ "$(stat -c %u:%g "$r/tmp/by-exec")" = "$HOST_BASE:$HOST_BASE" ]
	[ "$(stat -c %u:%g "$r/home/user/by-user")" = "$((HOST_BASE + 1000)):$((HOST_BASE + 1000))" ]
}

@test "userns: process.user and additionalGids are ids of the container's namespace" {
	new_userns
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 100]}'
	set_args sh -c 'id -u; id -g; id -G; cat /proc/self/setgroups'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = "1000 10 100" ]
	# The parent wrote gid_map as the host's root: setgroups stays allowed, which is what
	# made the additional groups possible.
	[ "${lines[3]}" = allow ]
}

@test "userns: a uid outside the mappings is a clear error" {
	new_userns
	update_config '.process.user = {"uid": 70000, "gid": 0}'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	if fy_is_foundry; then
		assert_contains "$stderr" "uid 70000"
	fi
	foundry state ct
	assert_contains "$output" "container does not exist"
}

@test "userns: root inside, with every capability asked for, cannot mknod or write a host root's file" {
	new_userns
	echo original >"$USERNS_DIR/host-file"
	chmod 0644 "$USERNS_DIR/host-file"
	update_config '.mounts += [{"destination":"/mnt/host-file","type":"bind","source":$s,"options":["bind","rw"]}]
		| .process.capabilities |= with_entries(.value += ["CAP_MKNOD", "CAP_DAC_OVERRIDE", "CAP_FOWNER"])' \
		--arg s "$USERNS_DIR/host-file"
	set_args sh -c 'mknod /tmp/null2 c 1 3 && echo MKNOD-OK; echo changed >/mnt/host-file && echo WRITE-OK; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	refute_contains "$output" MKNOD-OK
	refute_contains "$output" WRITE-OK
	[ "$(cat "$USERNS_DIR/host-file")" = original ]
}

@test "userns: the default devices are bind mounts of the host's nodes, and they work" {
	new_userns
	set_args sh -c 'for d in null zero full random urandom tty; do
			grep -q " /dev/$d " /proc/self/mountinfo && echo "$d bind" || echo "$d NOT-BIND"
		done
		stat -c "%F %t,%T" /dev/null
		echo hello >/dev/null && echo null-writes
		head -c 4 /dev/zero | wc -c
		head -c 4 /dev/urandom | wc -c'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	refute_contains "$stdout" NOT-BIND
	assert_contains "$stdout" "character special file 1,3"
	assert_contains "$stdout" null-writes
	[ "${lines[-2]}" = 4 ]
	[ "${lines[-1]}" = 4 ]
}

@test "userns: a linux.devices entry is bound from the host, whose node keeps its mode and owner" {
	new_userns
	local host_mode
	host_mode=$(stat -c %a:%u:%g /dev/full)
	# Should a runtime chmod or chown the bound node, it would change the host's: put it back.
	fy_defer chmod "$(stat -c %a /dev/full)" /dev/full
	fy_defer chown "$(stat -c %u:%g /dev/full)" /dev/full
	update_config '.linux.devices = [{"type":"c","path":"/dev/full","major":1,"minor":7,"fileMode":384,"uid":5,"gid":5}]
		| .linux.resources.devices += [{"allow":true,"type":"c","major":1,"minor":7,"access":"rwm"}]'
	set_args sh -c 'grep -q " /dev/full " /proc/self/mountinfo && echo bind; stat -c "%t,%T" /dev/full; echo x >/dev/full; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" bind
	assert_contains "$stdout" "1,7"
	# /dev/full refuses writes with ENOSPC: the node works and is the right device.
	assert_contains "$stderr" "No space left on device"
	[ "$(stat -c %a:%u:%g /dev/full)" = "$host_mode" ]
}

@test "userns: a read-only bind of a nosuid,nodev,noexec host mount keeps those locked flags" {
	requires_foundry "runc 1.1.5 drops the locked flags and fails with EPERM"
	new_userns
	mkdir "$USERNS_DIR/locked"
	mount -t tmpfs -o nosuid,nodev,noexec,size=1m tmpfs "$USERNS_DIR/locked"
	fy_defer umount "$USERNS_DIR/locked"
	echo hello >"$USERNS_DIR/locked/file"
	update_config '.mounts += [{"destination":"/mnt/locked","type":"bind","source":$s,"options":["rbind","ro"]}]' \
		--arg s "$USERNS_DIR/locked"
	set_args sh -c 'grep " /mnt/locked " /proc/self/mountinfo | cut -d" " -f6; cat /mnt/locked/file; touch /mnt/locked/new && echo WRITABLE; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	local opts=${lines[0]}
	[[ ,$opts, == *,ro,* ]]
	[[ ,$opts, == *,nosuid,* ]]
	[[ ,$opts, == *,nodev,* ]]
	[[ ,$opts, == *,noexec,* ]]
	[ "${lines[1]}" = hello ]
	refute_contains "$output" WRITABLE
}

@test "userns: a user namespace given by path is joined, with its mappings" {
	requires_foundry "runc 1.1.5 wants uidMappings even for a joined user namespace"
	start_userns_holder
	userns_rootfs
	update_config '.linux.namespaces += [{"type":"user","path":$p}]' --arg p "/proc/$HOLDER/ns/user"
	set_args sh -c 'readlink /proc/self/ns/user; id -u; cat /proc/self/uid_map; hostname'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "$(readlink "/proc/$HOLDER/ns/user")" ]
	[ "${lines[1]}" = 0 ]
	[ "$(squeeze "${lines[2]}")" = "0 $HOST_BASE $MAP_SIZE" ]
	# The new uts namespace belongs to the joined user namespace: root there could set it.
	[ "${lines[3]}" = "$(jq -r .hostname "$BUNDLE/config.json")" ]
}

@test "userns: the user namespace of another container is joined by path" {
	requires_foundry "runc 1.1.5 wants uidMappings even for a joined user namespace"
	new_userns
	update_config '.process.args = ["sleep", "600"] | .linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH-holder"
	foundry_ok run --detach --bundle "$BUNDLE" holder
	local pid
	pid=$(state_field holder pid)
	update_config '.linux.cgroupsPath = $cg
		| del(.linux.uidMappings, .linux.gidMappings)
		| .linux.namespaces |= map(if .type == "user" then .path = $p else . end)' \
		--arg cg "$FY_CGROUP_PATH" --arg p "/proc/$pid/ns/user"
	set_args sh -c 'readlink /proc/self/ns/user; id -u'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "$(readlink "/proc/$pid/ns/user")" ]
	[ "${lines[1]}" = 0 ]
}

@test "userns: a user namespace without a cgroup namespace still gets /sys/fs/cgroup (as runc: bind mounts)" {
	new_userns
	update_config '.linux.namespaces |= map(select(.type != "cgroup"))'
	set_args sh -c 'grep -c " /sys/fs/cgroup" /proc/self/mountinfo'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" -ge 1 ]
}

# ---- time namespace ----------------------------------------------------------------

# timeOffsets of one year (monotonic) and two hours (boottime).
MONO_OFFSET=31536000
BOOT_OFFSET=7200

time_offsets() {
	update_config '.linux.namespaces += [{"type":"time"}]
		| .linux.timeOffsets = {"monotonic": {"secs": $m, "nanosecs": 0}, "boottime": {"secs": $b}}' \
		--argjson m "$MONO_OFFSET" --argjson b "$BOOT_OFFSET"
}

# Checks the container's output: timens_offsets, then /proc/uptime, between the host's
# uptime before ($1) and after ($2) the run.  Uptime is CLOCK_BOOTTIME: shifted by the
# boottime offset.
check_time_output() {
	local before=${1%%.*} after=${2%%.*} inside
	[ "$(squeeze "${lines[0]}")" = "monotonic $MONO_OFFSET 0" ]
	[ "$(squeeze "${lines[1]}")" = "boottime $BOOT_OFFSET 0" ]
	inside=${lines[2]%%.*}
	((inside >= before + BOOT_OFFSET))
	((inside <= after + BOOT_OFFSET + 1))
}

@test "time: timeOffsets are the offsets of the container's new time namespace, and uptime shows boottime's" {
	requires_foundry "runc 1.1.5 predates the time namespace"
	time_offsets
	set_args sh -c 'cat /proc/self/timens_offsets; cut -d" " -f1 /proc/uptime; readlink /proc/self/ns/time'
	local before after
	before=$(cut -d' ' -f1 /proc/uptime)
	foundry run --bundle "$BUNDLE" ct
	after=$(cut -d' ' -f1 /proc/uptime)
	assert_status 0
	check_time_output "$before" "$after"
	[ "${lines[3]}" != "$(host_ns time)" ]
}

@test "time: timeOffsets in a user namespace too" {
	requires_foundry "runc 1.1.5 predates the time namespace"
	new_userns
	time_offsets
	set_args sh -c 'cat /proc/self/timens_offsets; cut -d" " -f1 /proc/uptime'
	local before after
	before=$(cut -d' ' -f1 /proc/uptime)
	foundry run --bundle "$BUNDLE" ct
	after=$(cut -d' ' -f1 /proc/uptime)
	assert_status 0
	check_time_output "$before" "$after"
}

@test "time: a process started by exec sees the same offsets" {
	requires_foundry "runc 1.1.5 predates the time namespace"
	time_offsets
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	foundry exec ct cat /proc/self/timens_offsets
	assert_status 0
	[ "$(squeeze "${lines[0]}")" = "monotonic $MONO_OFFSET 0" ]
	[ "$(squeeze "${lines[1]}")" = "boottime $BOOT_OFFSET 0" ]
}

@test "time: timeOffsets without a new time namespace are refused" {
	requires_foundry "the message"
	time_offsets
	update_config '.linux.namespaces |= map(select(.type != "time"))'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$stderr" ".linux.timeOffsets"
	foundry state ct
	assert_contains "$output" "container does not exist"
}
