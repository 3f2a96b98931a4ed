#!/usr/bin/env bats
# The classic container escapes of other runtimes, each reproduced and shown to fail:
#  - a symlink planted in the image that points at a host path, used as a mount
#    destination, a masked or read-only path, or a device path (runc CVE-2021-30465 and
#    kin): the runtime resolves every such path inside the rootfs, so nothing is created,
#    mounted or masked on the host;
#  - CVE-2019-5736: a container process opening the runtime binary through
#    /proc/<pid>/exe of a `foundry exec` joining the container, to overwrite it;
#  - CVE-2024-21626: a runtime fd leaking into the container, and process.cwd set to
#    /proc/self/fd/<n> (a runtime directory fd) to start outside the container's root.
# CVE-2022-29162 (inheritable capabilities) is in security.bats.

load helpers

setup() {
	setup_bundle
	update_config '.root.readonly = false'
	# A host directory the attacks aim at, outside the bundle; it must stay as it is.
	HOSTDIR=$(mktemp -d /tmp/fy-hardening.XXXXXX)
	fy_defer rm -rf "$HOSTDIR"
	echo host-secret >"$HOSTDIR/secret"
}

teardown() {
	teardown_bundle
}

# Fails when the host directory changed (a file the runtime created or mounted over) or a
# host mount sits on it.
assert_host_untouched() {
	local listing
	listing=$(cd "$HOSTDIR" && find . -mindepth 1 | sort | tr '\n' ' ')
	if [[ $listing != "./secret " ]]; then
		echo "the host directory $HOSTDIR changed: $listing" >&2
		return 1
	fi
	[ "$(cat "$HOSTDIR/secret")" = host-secret ]
	if grep -F " $HOSTDIR" /proc/self/mountinfo >&2; then
		echo "a mount on the host directory $HOSTDIR" >&2
		return 1
	fi
}

# ---- symlinks planted in the image ------------------------------------------------

@test "symlink in the image: a tmpfs mounted on /evil -> <host dir> lands inside the rootfs" {
	ln -s "$HOSTDIR" "$ROOTFS/evil"
	# The same path inside the rootfs, where the link resolves within the container.
	mkdir -p "$ROOTFS$HOSTDIR"
	update_config '.mounts += [{"destination":"/evil","type":"tmpfs","source":"tmpfs","options":["size=1m"]}]'
	set_args sh -c 'stat -f -c %T /evil/; echo from-container >/evil/written; ls /evil'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = tmpfs ]
	refute_contains "$stdout" secret
	assert_host_untouched
}

@test "symlink in the image: mount destinations under links to host paths create nothing on the host" {
	ln -s "$HOSTDIR/made/by/runtime" "$ROOTFS/evil"
	ln -s "$HOSTDIR" "$ROOTFS/evil2"
	# Whether the runtime refuses or creates the path inside the rootfs, the host is
	# untouched.  One run each: the first failure would hide the second.
	update_config '.mounts += [{"destination":"/evil2/a/b","type":"tmpfs","source":"tmpfs","options":["size=1m"]}]'
	foundry run --bundle "$BUNDLE" ct
	assert_host_untouched
	update_config '.mounts[-1].destination = "/evil"'
	foundry run --bundle "$BUNDLE" ct
	assert_host_untouched
}

@test "symlink in the image: a bind mount onto /evil/file -> <host file> does not cover the host file" {
	ln -s "$HOSTDIR" "$ROOTFS/evil"
	mkdir -p "$ROOTFS$HOSTDIR"
	echo in-rootfs >"$ROOTFS$HOSTDIR/secret"
	echo from-bundle >"$BATS_TEST_TMPDIR/payload"
	update_config '.mounts += [{"destination":"/evil/secret","type":"bind","source":$s,"options":["bind","rw"]}]' \
		--arg s "$BATS_TEST_TMPDIR/payload"
	set_args sh -c 'cat /evil/secret; echo overwritten >/evil/secret'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = from-bundle ]
	assert_host_untouched
}

@test "symlink in the image: a destination climbing out with .. stays in the rootfs" {
	update_config '.mounts += [{"destination":$d,"type":"tmpfs","source":"tmpfs","options":["size=1m"]}]' \
		--arg d "/../../../../../../..$HOSTDIR/dotdot"
	foundry run --bundle "$BUNDLE" ct
	assert_host_untouched
	[ ! -e "$HOSTDIR/dotdot" ]
}

@test "symlink in the image: a masked path -> <host file> masks the file inside the rootfs only" {
	ln -s "$HOSTDIR/secret" "$ROOTFS/evilmask"
	mkdir -p "$ROOTFS$HOSTDIR"
	echo in-rootfs >"$ROOTFS$HOSTDIR/secret"
	update_config '.linux.maskedPaths += ["/evilmask"]'
	set_args sh -c 'echo "[$(cat /evilmask)]"'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "[]" ]
	assert_host_untouched
	[ "$(cat "$ROOTFS$HOSTDIR/secret")" = in-rootfs ]
}

@test "symlink in the image: a read-only path -> <host dir> is made read-only inside the rootfs only" {
	ln -s "$HOSTDIR" "$ROOTFS/evilro"
	mkdir -p "$ROOTFS$HOSTDIR"
	update_config '.linux.readonlyPaths += ["/evilro"]'
	set_args sh -c 'touch /evilro/new && echo WRITABLE; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	refute_contains "$output" WRITABLE
	assert_host_untouched
	# The host directory itself is still writable.
	touch "$HOSTDIR/after" && rm "$HOSTDIR/after"
}

@test "symlink in the image: a device at /evildev/null -> <host dir> is made inside the rootfs" {
	ln -s "$HOSTDIR" "$ROOTFS/evildev"
	mkdir -p "$ROOTFS$HOSTDIR"
	update_config '.linux.devices = [{"type":"c","path":"/evildev/null","major":1,"minor":3,"fileMode":438}]'
	set_args sh -c 'stat -c "%F %t,%T" /evildev/null'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "character special file 1,3" ]
	assert_host_untouched
	[ -c "$ROOTFS$HOSTDIR/null" ]
}

@test "symlink in the image: a device under a link to a host directory creates nothing on the host" {
	ln -s "$HOSTDIR" "$ROOTFS/evildev"
	update_config '.linux.devices = [{"type":"c","path":"/evildev/sub/null","major":1,"minor":3}]'
	# Refused, or made inside the rootfs: either way, not on the host.
	foundry run --bundle "$BUNDLE" ct
	assert_host_untouched
}

# ---- CVE-2019-5736 ----------------------------------------------------------------

# Runs as the container's init: every /proc/<pid>/exe it can open whose target is the
# runtime binary (named $1) is recorded, with whether it also opened for writing, and
# whether a read handle could later be reopened for writing once the runtime exited (the
# original exploit).  The first other process it can open is recorded as SEEN: proof that
# the probe reaches the processes exec starts.  No fork per probe (`true <file` opens in the shell itself), so the
# loop is fast enough to meet an exec's process before it execs.  Stops at /tmp/stop.
ATTACK='rt=$1
: >/tmp/result
while [ ! -e /tmp/stop ]; do
	for e in /proc/[0-9]*/exe; do
		[ "$e" = /proc/1/exe ] && continue
		true <"$e" 2>/dev/null || continue
		t=$(readlink "$e" 2>/dev/null)
		case $t in
		*/"$rt") ;;
		*/sleep | */busybox) [ -n "$seen" ] || echo "SEEN $e $t" >>/tmp/result; seen=1; continue ;;
		*) continue ;;
		esac
		echo "OPENED-READ $e $t" >>/tmp/result
		true <>"$e" 2>/dev/null && echo "OPENED-WRITE $e" >>/tmp/result
		(exec 8<"$e" && for i in 1 2 3 4 5 6 7 8 9 10; do
			true <>/proc/self/fd/8 2>/dev/null && echo "OPENED-WRITE-LATER $e" >>/tmp/result && break
			sleep 0.2
		done) 2>/dev/null &
	done
done
wait
echo finished >>/tmp/result'

@test "CVE-2019-5736: a container process cannot open the runtime binary behind /proc/<pid>/exe of exec" {
	# Attack a copy: a successful attack must not break the build tree's binary.
	local bindir sum
	bindir=$(mktemp -d /tmp/fy-runtime.XXXXXX)
	fy_defer rm -rf "$bindir"
	cp "$FOUNDRY_BIN" "$bindir/runtime-under-attack"
	FOUNDRY_BIN=$bindir/runtime-under-attack
	sum=$(sha256sum <"$FOUNDRY_BIN")

	update_config '.process.args = ["sh", "-c", $a, "attack", "runtime-under-attack"]' --arg a "$ATTACK"
	foundry_ok run --detach --bundle "$BUNDLE" ct
	# A process exec started that stays: the probe must see it (after its execve).
	foundry_ok exec --detach ct sleep 600
	for ((i = 0; i < 100; i++)); do
		foundry_ok exec ct true
	done
	touch "$ROOTFS/tmp/stop"
	# A deadlock guard, not a timing assertion: the loop ends within one pass.
	for ((i = 0; i < 100; i++)); do
		grep -q finished "$ROOTFS/tmp/result" 2>/dev/null && break
		sleep 0.1
	done
	grep -q finished "$ROOTFS/tmp/result"
	grep -q SEEN "$ROOTFS/tmp/result"
	if grep OPENED "$ROOTFS/tmp/result" >&2; then
		echo "the container opened the runtime binary" >&2
		return 1
	fi
	[ "$(sha256sum <"$FOUNDRY_BIN")" = "$sum" ]
}

# ---- CVE-2024-21626 ---------------------------------------------------------------

# The fds `ls -l /proc/self/fd` (in $stdout) listed, as "N:target" words, without the
# one ls opens to read the directory.
listed_fds() {
	awk '$(NF-1) == "->" && $NF !~ /^\/proc\/[0-9]+\/fd$/ { printf "%s:%s ", $(NF-2), $NF }' <<<"$stdout"
}

# The fd numbers alone.
listed_fd_numbers() {
	listed_fds | tr ' ' '\n' | cut -d: -f1 | tr '\n' ' '
}

@test "CVE-2024-21626: run: the process gets only stdio, whatever the caller and the runtime had open" {
	set_args ls -l /proc/self/fd
	FY_INHERIT_FDS="7 8" foundry run --bundle "$BUNDLE" ct 7</etc/passwd 8<"$HOSTDIR"
	assert_status 0
	[ "$(listed_fd_numbers)" = "0 1 2 " ]
	refute_contains "$(listed_fds)" /etc/passwd
	refute_contains "$(listed_fds)" "$HOSTDIR"
}

@test "CVE-2024-21626: run --preserve-fds passes exactly the preserved fds" {
	set_args ls -l /proc/self/fd
	FY_INHERIT_FDS="3 7" foundry run --preserve-fds 1 --bundle "$BUNDLE" ct 3</etc/hostname 7<"$HOSTDIR"
	assert_status 0
	[ "$(listed_fd_numbers)" = "0 1 2 3 " ]
	assert_contains "$(listed_fds)" "3:/etc/hostname"
	refute_contains "$(listed_fds)" "$HOSTDIR"
}

@test "CVE-2024-21626: exec: the process gets only stdio, whatever the caller and the runtime had open" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	FY_INHERIT_FDS="7 8" foundry exec ct ls -l /proc/self/fd 7</etc/passwd 8<"$HOSTDIR"
	assert_status 0
	[ "$(listed_fd_numbers)" = "0 1 2 " ]
	refute_contains "$(listed_fds)" /etc/passwd
	refute_contains "$(listed_fds)" "$HOSTDIR"
}

@test "CVE-2024-21626: exec --preserve-fds passes exactly the preserved fds" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	FY_INHERIT_FDS="3 7" foundry exec --preserve-fds 1 ct ls -l /proc/self/fd 3</etc/hostname 7<"$HOSTDIR"
	assert_status 0
	[ "$(listed_fd_numbers)" = "0 1 2 3 " ]
	assert_contains "$(listed_fds)" "3:/etc/hostname"
}

# Run by the container's process: "/" and where 20 ".." from the cwd lead, as dev:inode,
# and the cwd as the kernel names it.  Outside the root, ".." climbs to the host's "/".
WHERE_AM_I='stat -c %d:%i /; cd ../../../../../../../../../../../../../../../../../../../..; stat -c %d:%i .; readlink /proc/self/cwd'

# The process either did not start, or started with its cwd inside the container's root.
assert_cwd_inside() {
	if [[ $status -ne 0 ]]; then
		return 0
	fi
	if [[ ${lines[0]} != "${lines[1]}" ]]; then
		echo "the process started outside the container's root: cwd ${lines[2]}" >&2
		return 1
	fi
}

@test "CVE-2024-21626: run: process.cwd /proc/self/fd/<n> cannot start the process outside the root" {
	local n
	for n in 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		update_config '.process.cwd = $c' --arg c "/proc/self/fd/$n"
		set_args sh -c "$WHERE_AM_I"
		foundry run --bundle "$BUNDLE" "ct$n"
		assert_cwd_inside
	done
}

@test "CVE-2024-21626: exec: --cwd /proc/self/fd/<n> cannot start the process outside the root" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	local n
	for n in 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		foundry exec --cwd "/proc/self/fd/$n" ct sh -c "$WHERE_AM_I"
		assert_cwd_inside
	done
}

@test "CVE-2024-21626: process.cwd through a symlink to a host path stays in the root" {
	ln -s "$HOSTDIR" "$ROOTFS/evilcwd"
	update_config '.process.cwd = "/evilcwd"'
	set_args sh -c "$WHERE_AM_I; ls"
	foundry run --bundle "$BUNDLE" ct
	assert_cwd_inside
	refute_contains "$output" secret
}
