#!/usr/bin/env bash
# Installs what snapgate needs to build, run and test, when it is missing, and says what it does. With --test
# (scripts/test.sh, and so CI), also the tools only the tests drive.
set -euo pipefail

say() { printf '[snapgate] %s\n' "$*" >&2; }

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v make >/dev/null 2>&1 || missing+=(make)
# Guests link musl's static C library (guests/README.md).
[ -f /usr/lib/x86_64-linux-musl/libc.a ] || missing+=(musl-dev)
# The JavaScript runtime guest compiles Duktape 2.7 from the single-file source duktape-dev ships.
[ -f /usr/share/duktape/duktape.c ] || missing+=(duktape-dev)
ldconfig -p 2>/dev/null | grep -q 'libunicorn\.so\.2' || missing+=(libunicorn2)
# The headers let a test check our Unicorn constants against the library's own.
[ -f /usr/include/unicorn/unicorn.h ] || missing+=(libunicorn-dev)
# And <linux/kvm.h> lets one check the KVM backend's structure layouts and ioctl numbers.
[ -f /usr/include/linux/kvm.h ] || missing+=(linux-libc-dev)
if [ "${1:-}" = --test ]; then
    # skopeo copies snapshot stores as users do; the tests check that what it writes loads. docker-registry (the
    # Distribution registry) is what push and pull are tested against, on loopback. The web console's browser tests
    # drive Debian's headless Chromium through its chromedriver. Tests skip without them.
    command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
    command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        say "missing: ${missing[*]}; run as root or install them with apt-get"
        exit 1
    fi
    say "installing with apt-get: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    say "installed: ${missing[*]}"
    if [[ " ${missing[*]} " == *" docker-registry "* ]] && [ -d /run/systemd/system ]; then
        # Debian starts it as a service on every interface; the tests start their own, on 127.0.0.1.
        systemctl disable --now docker-registry >/dev/null 2>&1 || true
        say "stopped and disabled the docker-registry service the package starts"
    fi
fi
