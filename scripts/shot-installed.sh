#!/bin/bash
# The installed app, as a user gets it: installs build-deb/socketlab_*.deb (made by
# `scripts/bootstrap.sh package`) with apt, starts the lab the way the menu does (the
# Exec line of the installed .desktop file, from /usr/bin) on a 1280×720 Xvfb screen,
# saves the screen as resources/screenshots/installed-app.png, and removes the package
# again unless --keep. Needs root or sudo (apt), xvfb and imagemagick (import).
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0
[ "${1:-}" = --keep ] && keep=1
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
deb=$(ls build-deb/socketlab_*.deb)
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "./$deb" >/dev/null
desktop=/usr/share/applications/io.github.socketlab.SocketLab.desktop
[ -f "$desktop" ] || { echo "shot-installed: $desktop is not installed" >&2; exit 1; }
# The menu's command: Exec= without its field codes (%f, %F, %u, %U).
cmd=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1 | sed 's/ %[fFuU]//g')
echo "shot-installed: $(command -v socketlab): $(socketlab --version); menu runs: $cmd"
out=resources/screenshots/installed-app.png
# shellcheck disable=SC2016
xvfb-run -a -s "-screen 0 1280x720x24" bash -c '
    '"$cmd"' & pid=$!
    for _ in $(seq 1 60); do   # the window is mapped: its title names the lab
        xdotool search --name "Socket Lab" >/dev/null 2>&1 && break
        sleep 0.5
    done
    sleep 2                    # its first paint
    import -window root "$1"
    kill "$pid"; wait "$pid" 2>/dev/null || true' _ "$out"
echo "shot-installed: $out"
if [ "$keep" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq socketlab >/dev/null
fi
