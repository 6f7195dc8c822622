#!/usr/bin/env bash
# Socket Lab set-up on a fresh Debian 12 machine: installs what is missing (apt-get,
# with sudo when not root), builds, then does what was asked.
#
#   scripts/bootstrap.sh run [ARGS…]   build and launch the lab (the window on its first
#                                      lesson; in the terminal when there is no display)
#   scripts/bootstrap.sh test          build and run the whole test suite through CTest
#   scripts/bootstrap.sh sanitize      core + tests again with ASan + UBSan, and run them
#   scripts/bootstrap.sh tsan          core + tests again with ThreadSanitizer, and run them
#   scripts/bootstrap.sh stress [N]    the whole suite N times (10) with ctest -j2 while two
#                                      busy loops load both cores; prints the tally
#   scripts/bootstrap.sh format [--check]  apply .clang-format (or only check it)
#   scripts/bootstrap.sh fuzz [SECS]   build both fuzzers (parser, trace reader) with clang, run each SECS s
#   scripts/bootstrap.sh bench         build optimised and print every benchmark's figures
#   scripts/bootstrap.sh package       build the .deb (build-deb/socketlab_*.deb) and lint it
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-tools-dev
          qt6-tools-dev-tools qt6-l10n-tools libqt6opengl6-dev libgl-dev
          xvfb xauth fonts-noto-cjk strace clang-format curl netcat-openbsd
          desktop-file-utils appstream help2man librsvg2-bin
          bash-completion zsh)
FUZZ_PACKAGES=(clang libclang-rt-14-dev)
# package: the man page (help2man), PNG icons (rsvg-convert), the validators, the .deb's
# dependencies (dpkg-shlibdeps) and its check (lintian).
PACKAGE_PACKAGES=(help2man librsvg2-bin desktop-file-utils appstream dpkg-dev lintian)

install_missing() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "bootstrap: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

jobs() { nproc 2>/dev/null || echo 2; }

build() { # build DIR [cmake options…]
    local dir=$1
    shift
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
    cmake --build "$dir" -j"$(jobs)"
}

cmd=${1:-run}
shift || true
case "$cmd" in
run)
    install_missing "${PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    exec ./build/bin/socketlab "$@"
    ;;
test)
    install_missing "${PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cd build
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(jobs)"
    ;;
sanitize)
    install_missing "${PACKAGES[@]}"
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DSOCKETLAB_CORE_ONLY=ON -DSOCKETLAB_SANITIZE=ON
    cd build-asan
    # -LE heavy|pace: the every-lesson Python export and round trip (tst_pyexport_all,
    # tst_roundtrip_all) and the lessons at --pace 2 (minutes of waiting each, the same
    # code as the lesson tests) run in `test`; here their fast forms cover the same code.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j"$(jobs)" -LE 'heavy|pace'
    ;;
tsan)
    install_missing "${PACKAGES[@]}"
    build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCKETLAB_CORE_ONLY=ON -DSOCKETLAB_TSAN=ON
    cd build-tsan
    # halt_on_error: a race fails its test. second_deadlock_stack: useful reports.
    # die_after_fork=0: tests that run the CLI (QProcess) beside a live Lab fork a
    # threaded process; the child only exec()s, which TSan cannot know.
    TSAN_OPTIONS="suppressions=$PWD/../tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 die_after_fork=0" \
        ctest --output-on-failure -j"$(jobs)" -LE 'heavy|pace' # as in sanitize
    ;;
stress)
    install_missing "${PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    runs=${1:-10}
    busy=()
    # Two busy loops, one per core, as the issue's gate asks: the suite must hold on a
    # machine that is fully loaded.
    for _ in 1 2; do
        (while :; do :; done) &
        busy+=($!)
    done
    trap 'kill "${busy[@]}" 2>/dev/null || true' EXIT
    passed=0 failed=0
    cd build
    for i in $(seq 1 "$runs"); do
        if QT_QPA_PLATFORM=offscreen ctest -j2 --output-on-failure >"stress-$i.log" 2>&1; then
            passed=$((passed + 1))
            echo "stress: run $i passed ($(grep -o 'Total Test time.*' "stress-$i.log"))"
        else
            failed=$((failed + 1))
            echo "stress: run $i FAILED (build/stress-$i.log):"
            grep -E '\*\*\*Failed|Failed  |Timeout' "stress-$i.log" | sed 's/^/    /' || true
        fi
    done
    echo "stress: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    ;;
format)
    files=$(git ls-files '*.cpp' '*.h')
    if [ "${1:-}" = "--check" ]; then
        # shellcheck disable=SC2086
        clang-format --dry-run --Werror $files
        echo "format: $(echo "$files" | wc -l) files follow .clang-format"
    else
        # shellcheck disable=SC2086
        clang-format -i $files
    fi
    ;;
fuzz)
    # Both fuzzers, SECS seconds each (60 by default): the .lab parser and the trace
    # reader (with its round-trip property). Prints libFuzzer's final figures.
    install_missing "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSOCKETLAB_CORE_ONLY=ON -DSOCKETLAB_FUZZ=ON >/dev/null
    cmake --build build-fuzz -j"$(jobs)" --target fuzz_parser fuzz_jsonl
    secs=${1:-60}
    for f in parser jsonl; do
        fuzzer=$(find build-fuzz -type f -name "fuzz_$f" -perm -u+x | head -n 1)
        corpus=$(mktemp -d)
        if [ "$f" = parser ]; then
            cp tests/fuzz/corpus/* resources/lessons/*.lab "$corpus"/
            extra=()
        else
            cp tests/fuzz/corpus_jsonl/* "$corpus"/
            extra=(-dict=tests/fuzz/jsonl.dict)
        fi
        echo "== fuzz_$f: ${secs} s"
        status=0
        "$fuzzer" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
            "${extra[@]}" "$corpus" || status=$?
        rm -rf "$corpus"
        [ "$status" -eq 0 ] || exit "$status"
    done
    ;;
bench)
    install_missing "${PACKAGES[@]}" iperf3
    build build-bench -DCMAKE_BUILD_TYPE=Release
    for b in build-bench/bench/*; do
        echo "== $(basename "$b")"
        QT_QPA_PLATFORM=offscreen "$b"
    done
    ;;
package)
    install_missing "${PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
    # Its own build: /usr, Debian's paths and files (SOCKETLAB_PACKAGING), and Debian's
    # flags with every hardening feature (CMake reads CXXFLAGS/LDFLAGS when it first
    # configures a build directory).
    export DEB_BUILD_MAINT_OPTIONS=hardening=+all
    CXXFLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
        LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" \
        cmake -S . -B build-deb -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_INSTALL_PREFIX=/usr -DSOCKETLAB_PACKAGING=ON >/dev/null
    # Only what the package holds (not the tests and benchmarks).
    cmake --build build-deb -j"$(jobs)" --target socketlab socketlab_desktop_files
    rm -f build-deb/socketlab_*.deb
    (cd build-deb && cpack -G DEB)
    deb=$(ls build-deb/socketlab_*.deb)
    dpkg-deb --field "$deb" Package Version Depends Installed-Size
    # Errors fail the command; warnings are printed.
    lintian --fail-on error "$deb"
    echo "package: $deb (install it with: apt install ./$deb)"
    ;;
*)
    sed -n '2,15p' "$0" >&2
    exit 2
    ;;
esac
