#!/bin/sh
# "A && B || bad" below means: bad when either fails.
# shellcheck disable=SC2015
# CTest install_layout: `DESTDIR=$tmp cmake --install BUILD --prefix /usr` stages every
# file a user or a package gets, and the desktop's own validators accept them.
#   test-install.sh BUILD APP_ID GUI HAS_MAN HAS_PNG ZSH_DIR
# GUI, HAS_MAN, HAS_PNG are 1/0: what this build was configured to install (no window in
# a core-only build; no man page / PNGs where help2man / rsvg-convert were missing).
set -eu
build=$1 id=$2 gui=$3 has_man=$4 has_png=$5 zsh_dir=$6

fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}
need_tool() {
    command -v "$1" >/dev/null 2>&1 ||
        { echo "FAIL: $1 is not installed (Debian package $2; scripts/bootstrap.sh test installs it)"; exit 1; }
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DESTDIR=$tmp cmake --install "$build" --prefix /usr >"$tmp.log" 2>&1 || {
    cat "$tmp.log"
    rm -f "$tmp.log"
    echo "FAIL: cmake --install"
    exit 1
}
rm -f "$tmp.log"
root=$tmp/usr

expect() {
    for f in "$@"; do
        [ -s "$root/$f" ] || bad "not installed: /usr/$f"
    done
}
expect bin/socketlab share/bash-completion/completions/socketlab "$zsh_dir/_socketlab" \
    share/doc/socketlab/README.md
[ -x "$root/bin/socketlab" ] || bad "/usr/bin/socketlab is not executable"
# The licence: LICENSE, or Debian's copyright file in a package build.
[ -s "$root/share/doc/socketlab/LICENSE" ] || [ -s "$root/share/doc/socketlab/copyright" ] ||
    bad "no licence in /usr/share/doc/socketlab"

# `socketlab trace`'s interposer, in LIBDIR/socketlab/, found by the installed binary.
found=0
for f in "$root"/lib/socketlab/libsocketlab_preload.so "$root"/lib*/*/socketlab/libsocketlab_preload.so \
    "$root"/lib64/socketlab/libsocketlab_preload.so; do
    [ -s "$f" ] && found=1
done
[ "$found" = 1 ] || bad "not installed: LIBDIR/socketlab/libsocketlab_preload.so"
"$root/bin/socketlab" trace --quiet -- /bin/true 2>/dev/null ||
    bad "the installed 'socketlab trace' cannot run a program (interposer not found?)"

# The installed program runs and says its version.
version=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$root/bin/socketlab" --version) ||
    bad "socketlab --version failed"
case $version in
socketlab\ [0-9]*) ;;
*) bad "socketlab --version printed '$version'" ;;
esac

# Completion scripts parse, and name every subcommand.
bash -n "$root/share/bash-completion/completions/socketlab" || bad "bash completion does not parse"
for c in run check show lessons trace; do
    grep -q "$c" "$root/share/bash-completion/completions/socketlab" || bad "bash completion lacks '$c'"
    grep -q "'$c:" "$root/$zsh_dir/_socketlab" || bad "zsh completion lacks '$c'"
done

if [ "$has_man" = 1 ]; then
    man=$root/share/man/man1/socketlab.1.gz
    expect share/man/man1/socketlab.1.gz
    if [ -s "$man" ]; then
        gzip -t "$man" || bad "socketlab.1.gz is not gzip"
        page=$(gzip -dc "$man")
        printf '%s\n' "$page" | grep -q '^\.TH SOCKETLAB "1"' || bad "socketlab.1 has no .TH header"
        # Every command, from --help-all: its line in Commands and its own subsection.
        for c in run check show lessons trace; do
            printf '%s\n' "$page" | grep -q "^$c \\[options\\]" || bad "the man page does not list '$c'"
            printf '%s\n' "$page" | grep -q "^\\.SS \"socketlab $c " || bad "the man page has no section for '$c'"
        done
    fi
fi

if [ "$gui" = 1 ]; then
    need_tool desktop-file-validate desktop-file-utils
    need_tool appstreamcli appstream
    desktop=$root/share/applications/$id.desktop
    metainfo=$root/share/metainfo/$id.metainfo.xml
    expect "share/applications/$id.desktop" "share/metainfo/$id.metainfo.xml" \
        "share/icons/hicolor/scalable/apps/$id.svg"
    if [ "$has_png" = 1 ]; then
        for s in 16 22 24 32 48 64 128 256; do
            png=share/icons/hicolor/${s}x$s/apps/$id.png
            expect "$png"
            # A PNG of that size: the signature, then IHDR's width and height.
            [ -s "$root/$png" ] &&
                [ "$(od -An -tx1 -j16 -N8 "$root/$png" | tr -d ' \n')" = "$(printf '%08x%08x' "$s" "$s")" ] ||
                bad "$png is not a ${s}x$s PNG"
        done
    fi
    # Quiet validators: any hint or warning is reported as a failure too.
    out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ] || bad "desktop-file-validate: $out"
    grep -qx "Icon=$id" "$desktop" || bad "the desktop file's Icon is not $id"
    grep -qx "Exec=socketlab %f" "$desktop" || bad "the desktop file does not start socketlab"
    appstreamcli validate --no-net --no-color "$metainfo" || bad "appstreamcli validate"
    # The metainfo, its desktop file and icon, together as a software centre reads them.
    appstreamcli validate-tree --no-net --no-color "$tmp" || bad "appstreamcli validate-tree"
    grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" ||
        bad "the metainfo does not launch $id.desktop"
    if grep -q '@[A-Z_]*@' "$metainfo"; then bad "the metainfo has an unconfigured @VARIABLE@"; fi
fi

[ "$fail" = 0 ] && echo "install_layout: $(find "$tmp" -type f | wc -l) files installed, all present and valid"
exit "$fail"
