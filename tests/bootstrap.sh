#!/usr/bin/env bash
# The README's two commands, on a fresh Debian 12 machine, as root:
#
#   tests/bootstrap.sh demo    install what is missing, build, run a container on the busybox fixture
#   tests/bootstrap.sh check   install what is missing, build, run every test
#
# `check` runs the C unit tests (make check), the integration suite (bats, real containers),
# the pure cgroup v2 run in a VM (tests/cg2/run.sh), and make distcheck.  It stops at the end,
# not at the first failing suite, prints each runner's summary and exits non-zero if any failed.
set -uo pipefail

cd "$(dirname "$0")/.."
top=$PWD

# Debian packages: building, the test suites, and the side-by-side benchmarks.
build_packages=(gcc make autoconf automake pkg-config libyajl-dev libseccomp-dev libcap-dev
	libbpf-dev libmnl-dev clang llvm bpftool linux-libc-dev)
check_packages=(clang-format)
run_packages=(busybox-static jq iproute2 ethtool procps util-linux)
test_packages=(bats iperf3 runc crun qemu-system-x86 cpio gzip xz-utils time)

die() {
	echo "bootstrap: $*" >&2
	exit 1
}

install_missing() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	[[ $(id -u) -eq 0 ]] || die "missing packages (${missing[*]}): run as root"
	echo "bootstrap: installing ${missing[*]}"
	apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null || die "apt-get install ${missing[*]} failed"
}

build() {
	if [[ ! -x configure || configure.ac -nt configure ]]; then
		./autogen.sh || die "autogen.sh failed"
	fi
	if [[ ! -f Makefile || configure -nt Makefile ]]; then
		./configure --enable-werror || die "configure failed"
	fi
	make -j2 || die "make failed"
}

demo() {
	install_missing "${build_packages[@]}" "${run_packages[@]}"
	build
	local bundle=$top/tests/.cache/demo id=demo-$$
	tests/fixtures/busybox-rootfs.sh "$bundle/rootfs" || die "building the busybox rootfs failed"
	rm -f "$bundle/config.json"
	(cd "$bundle" && "$top/foundry" spec) || die "foundry spec failed"
	# What proves isolation: its own hostname, ps seeing only the container (PID 1 is sh),
	# and a mount table that is the container's, not the host's.
	jq '.process.terminal = false | .hostname = "foundry-demo"
	    | .process.args = ["sh", "-c", "echo \"hostname: $(hostname)\"; echo; ps; echo; echo mounts:; cat /proc/self/mounts"]' \
		"$bundle/config.json" >"$bundle/config.json.new" && mv "$bundle/config.json.new" "$bundle/config.json"
	echo "bootstrap: ./foundry run --bundle $bundle $id"
	./foundry run --bundle "$bundle" "$id"
}

check() {
	install_missing "${build_packages[@]}" "${run_packages[@]}" "${test_packages[@]}" "${check_packages[@]}"
	build
	local failed=()

	echo "== format (make format-check)"
	make format-check >/dev/null 2>&1 && echo "format: all files formatted" || {
		failed+=(format)
		make format-check 2>&1 | grep 'error:' | head -20
	}

	echo "== unit tests (make check)"
	make -j2 check || { failed+=(unit); cat tests/unit/*.log 2>/dev/null | grep -E '^not ok' || true; }

	echo "== integration tests (bats, real containers)"
	tests/fixtures/busybox-rootfs.sh tests/.cache/rootfs >/dev/null || die "building the busybox rootfs failed"
	# Bounded: bats waits for every process holding its output, so one leaked process
	# would otherwise hold CI until its own limit.
	timeout --kill-after=10 1500 bats --timing tests/bats || failed+=(bats)

	if [[ -x tests/cg2/run.sh ]]; then
		echo "== pure cgroup v2 host (VM)"
		tests/cg2/run.sh || failed+=(cgroup-v2)
	fi

	echo "== make distcheck (unit tests under ASan/UBSan)"
	# distcheck builds the tarball with sanitizers, so the unit tests also run under
	# AddressSanitizer and UndefinedBehaviorSanitizer (leaks included).
	make -j2 distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-asan --enable-werror" >/tmp/foundry-distcheck.log 2>&1 || {
		failed+=(distcheck)
		tail -40 /tmp/foundry-distcheck.log
	}
	grep -E '^(=+|# (TOTAL|PASS|FAIL|ERROR))' /tmp/foundry-distcheck.log | tail -12

	if [[ ${#failed[@]} -gt 0 ]]; then
		echo "bootstrap: FAILED: ${failed[*]}"
		return 1
	fi
	echo "bootstrap: all test suites passed"
}

case "${1:-}" in
demo) demo ;;
check) check ;;
*)
	echo "usage: $0 demo|check" >&2
	exit 2
	;;
esac
