#!/bin/bash
# Install or update the hall kiosk on a fresh Debian/UOS/Kylin-style machine; safe to run again.
#
#   sudo deploy/install.sh                 install or update from this checkout, enable the unit
#   sudo deploy/install.sh --rollback      switch back to the previous release and restart
#   deploy/install.sh --dry-run            print every step, change nothing (no root needed)
#   sudo deploy/install.sh --no-system --no-apt --prefix DIR
#                                          build and switch a release under DIR only (CI, staging)
#
# Layout: $PREFIX/releases/<version>-<checksum>/ (app + its own venv), $PREFIX/current and
# $PREFIX/previous symlinks; settings in /etc/hall-kiosk/kiosk.toml (written once, never
# overwritten); data in /var/lib/hall-kiosk; logs in /var/log/hall-kiosk and the journal.
set -euo pipefail

PREFIX=/opt/hall-kiosk
DRY_RUN=0
WITH_APT=1
ENABLE=1
ROLLBACK=0
SYSTEM=1
WHEELS=""
PIP_CACHE=""
PYTHON=python3
KIOSK_USER=kiosk
CONF_DIR=/etc/hall-kiosk
DATA_DIR=/var/lib/hall-kiosk
LOG_DIR=/var/log/hall-kiosk
UNIT=hall-kiosk.service
KEEP_RELEASES=3
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

APT_PACKAGES=(
    # cage 0.1.4 exits at start ("Cannot create XWayland server") without xwayland
    cage xwayland python3-venv python3-pip fonts-noto-cjk libpulse0 logrotate x11-xserver-utils
    # USB ticket printers: pyusb (python-escpos's usb extra) needs libusb-1.0; the hall's zone
    libusb-1.0-0 tzdata
    # Qt's Wayland and xcb platform plugins and OpenGL
    libegl1 libgl1 libgles2 libopengl0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
    libxkbcommon0 libxkbcommon-x11-0 libwayland-client0 libwayland-cursor0 libwayland-egl1
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
    # voice prompts in elder mode
    # (the espeak-ng output module is only a Recommends: without it speechd has no voice)
    speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
)
KIOSK_GROUPS=(dialout lp video input render audio)

usage() {
    cat <<USAGE
usage: $0 [--prefix DIR] [--dry-run] [--no-apt] [--no-enable] [--no-system] [--wheels DIR]
          [--pip-cache DIR] [--python PATH] [--list-packages]
       $0 --rollback [--prefix DIR] [--dry-run]

  --prefix DIR    install under DIR (default /opt/hall-kiosk)
  --dry-run       print what would be done, change nothing
  --no-apt        do not install Debian packages (offline machine, packages already there)
  --no-enable     install the unit but do not enable it
  --list-packages print the Debian packages this script installs, one a line, and exit
  --no-system     only build the release under --prefix and point current at it: no user,
                  settings, udev, unit, logrotate, logind or time zone (CI, staging)
  --wheels DIR    install Python packages offline from DIR (pip download -d DIR <this checkout>)
  --pip-cache DIR reuse pip's cache in DIR (default: no cache, nothing kept in root's home)
  --python PATH   Python 3.11-3.13 to build the venv with (default python3)
  --rollback      make the previous release current again and restart the kiosk
USAGE
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        --no-apt) WITH_APT=0; shift ;;
        --no-enable) ENABLE=0; shift ;;
        --no-system) SYSTEM=0; shift ;;
        --list-packages) printf '%s\n' "${APT_PACKAGES[@]}"; exit 0 ;;
        --wheels) WHEELS="${2:?--wheels needs a directory}"; shift 2 ;;
        --pip-cache) PIP_CACHE="${2:?--pip-cache needs a directory}"; shift 2 ;;
        --python) PYTHON="${2:?--python needs a path}"; shift 2 ;;
        --rollback) ROLLBACK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
PREFIX="${PREFIX%/}"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

# Every change goes through run (or write_file), so --dry-run shows exactly what would happen.
run() {
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '+'; printf ' %q' "$@"; printf '\n'
    else
        "$@"
    fi
}

# write_file DEST MODE OWNER:GROUP  (content on stdin); replaced atomically.
write_file() {
    local dest=$1 mode=$2 owner=$3 tmp
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '+ write %s (mode %s, owner %s, %s bytes)\n' "$dest" "$mode" "$owner" "$(wc -c | tr -d ' ')"
        return
    fi
    tmp="$(mktemp "$dest.XXXXXX")"
    cat >"$tmp"
    chown "$owner" "$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
}

# Point symlink NAME at TARGET atomically (rename over the old link).
switch_link() {
    local target=$1 name=$2
    run ln -sfn "$target" "$name.new"
    run mv -T "$name.new" "$name"
}

restart_if_running() {
    if systemctl is-active --quiet "$UNIT" 2>/dev/null; then
        say "restarting $UNIT"
        run systemctl restart "$UNIT"
    fi
}

if [[ $DRY_RUN -eq 0 && $EUID -ne 0 ]]; then
    die "run as root (sudo $0), or try --dry-run"
fi

# --- rollback ------------------------------------------------------------------------------
if [[ $ROLLBACK -eq 1 ]]; then
    [[ -L "$PREFIX/previous" ]] || die "no previous release under $PREFIX to roll back to"
    current="$(readlink "$PREFIX/current")"
    previous="$(readlink "$PREFIX/previous")"
    [[ -x "$previous/venv/bin/python" ]] || die "previous release $previous is incomplete"
    say "rolling back: $current -> $previous"
    switch_link "$previous" "$PREFIX/current"
    switch_link "$current" "$PREFIX/previous"
    restart_if_running
    say "done; roll forward again with: $0 --rollback"
    exit 0
fi

# --- checks ----------------------------------------------------------------------------------
[[ -f "$SRC/main.py" && -d "$SRC/kiosk" ]] || die "run from a hall-kiosk checkout ($SRC has no main.py)"
command -v "$PYTHON" >/dev/null || [[ $WITH_APT -eq 1 ]] || die "$PYTHON not found"
if command -v "$PYTHON" >/dev/null &&
   ! "$PYTHON" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))'; then
    die "$PYTHON is $("$PYTHON" -V 2>&1); Python 3.11-3.13 is needed (use --python PATH)"
fi
[[ -z "$WHEELS" || -d "$WHEELS" ]] || die "--wheels $WHEELS is not a directory"

if [[ $DRY_RUN -eq 0 && $SYSTEM -eq 1 ]]; then
    mkdir -p "$LOG_DIR"
    exec > >(tee -a "$LOG_DIR/install.log") 2>&1
    say "$(date -Is) install from $SRC"
fi

# --- Debian packages -----------------------------------------------------------------------
if [[ $WITH_APT -eq 1 ]]; then
    say "installing Debian packages"
    run apt-get update
    # One query for all: names the archive knows (UOS/Kylin lack some, e.g. cage).
    known=" $(apt-cache --no-all-versions show "${APT_PACKAGES[@]}" 2>/dev/null |
              sed -n 's/^Package: //p' | tr '\n' ' ') "
    available=()
    for package in "${APT_PACKAGES[@]}"; do
        if [[ "$known" == *" $package "* ]]; then
            available+=("$package")
        else
            warn "package $package is not available here; skipped"
            [[ $package != cage ]] || warn "no cage: use the X11 session described in deploy/README.md"
        fi
    done
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${available[@]}"
fi

# --- user and folders ------------------------------------------------------------------------
if [[ $SYSTEM -eq 1 ]]; then
if ! getent passwd "$KIOSK_USER" >/dev/null; then
    say "creating user $KIOSK_USER"
    run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "hall kiosk" "$KIOSK_USER"
fi
for group in "${KIOSK_GROUPS[@]}"; do
    if getent group "$group" >/dev/null; then
        run usermod -a -G "$group" "$KIOSK_USER"
    else
        warn "group $group does not exist; skipped"
    fi
done
run install -d -m 0755 -o root -g root "$PREFIX" "$PREFIX/releases"
run install -d -m 0750 -o root -g "$KIOSK_USER" "$CONF_DIR"
run install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$DATA_DIR"
run install -d -m 0750 -o root -g "$KIOSK_USER" "$LOG_DIR"
run install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$LOG_DIR/app"
# The app logs into <data_dir>/logs; keep those lines under /var/log with the rest.
if [[ ! -L "$DATA_DIR/logs" ]]; then
    run ln -sfn "$LOG_DIR/app" "$DATA_DIR/logs"
fi
else
    run install -d -m 0755 "$PREFIX" "$PREFIX/releases"
fi

# Qt Quick's bytecode beside each QML file, where Qt looks before compiling: without it the
# first start after an update compiles every screen (~20 ms more to the home screen, then the
# flows in the background) into the kiosk user's cache. Qt compiles any file left out itself.
precompile_qml() {
    local qmlcachegen="$1/venv/bin/pyside6-qmlcachegen" qml
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '+ %q --only-bytecode -o FILE.qmlc FILE.qml  (each FILE.qml under %q)\n' \
            "$qmlcachegen" "$1/kiosk/ui/qml"
        return
    fi
    while IFS= read -r -d '' qml; do
        "$qmlcachegen" --only-bytecode -o "${qml}c" "$qml" || warn "no QML bytecode for $qml"
    done < <(find "$1/kiosk/ui/qml" -name '*.qml' -print0)
    find "$1/kiosk/ui/qml" -name '*.aotstats' -delete
}

# --- the release -----------------------------------------------------------------------------
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$SRC/pyproject.toml" | head -n 1)"
excludes=(--exclude=.git --exclude=./var --exclude=./tests --exclude=__pycache__ --exclude='*.pyc'
          --exclude='*.qmlc'
          --exclude=.ruff_cache --exclude=.pytest_cache --exclude=.hypothesis --exclude=./build)
checksum="$(tar -C "$SRC" "${excludes[@]}" --sort=name --mtime=@0 --owner=0 --group=0 \
            --numeric-owner -cf - . | sha256sum | cut -c1-12)"
release="$PREFIX/releases/${version:-0}-$checksum"
if [[ -f "$release/.complete" ]]; then
    say "release $release is already installed"
else
    # Built at its final path (a venv cannot move); only .complete makes it eligible for current.
    say "building release $release"
    run rm -rf "$release"
    run install -d -m 0755 "$release"
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '+ tar -C %q ... | tar -C %q -x\n' "$SRC" "$release"
    else
        tar -C "$SRC" "${excludes[@]}" -cf - . | tar -C "$release" --no-same-owner -xf -
    fi
    run "$PYTHON" -m venv "$release/venv"
    pip_args=(--disable-pip-version-check)
    if [[ -n "$PIP_CACHE" ]]; then pip_args+=(--cache-dir "$PIP_CACHE"); else pip_args+=(--no-cache-dir); fi
    [[ -z "$WHEELS" ]] || pip_args+=(--no-index --find-links "$WHEELS")
    run "$release/venv/bin/python" -m pip install "${pip_args[@]}" "$release"
    run "$release/venv/bin/python" -c "import PySide6.QtQuick, serial, escpos, qrcode, requests"
    # kiosk.toml's default printer transport is usb: pyusb and a libusb-1.0 it can load.
    run "$release/venv/bin/python" -c "import sys, usb.backend.libusb1 as libusb1
sys.exit(None if libusb1.get_backend() else 'pyusb finds no libusb-1.0: install the Debian package libusb-1.0-0')"
    # The unit runs main.py from the release folder, which the kiosk user cannot write: without
    # bytecode made here, every start would compile the app's modules again (~40 ms).
    run "$release/venv/bin/python" -m compileall -q "$release/main.py" "$release/kiosk" \
        "$release/drivers" "$release/central" "$release/hall"
    precompile_qml "$release"
    run touch "$release/.complete"
fi
old_current="$(readlink "$PREFIX/current" 2>/dev/null || true)"
changed=0
if [[ "$old_current" != "$release" ]]; then
    [[ -z "$old_current" ]] || switch_link "$old_current" "$PREFIX/previous"
    switch_link "$release" "$PREFIX/current"
    changed=1
fi

if [[ $SYSTEM -eq 0 ]]; then
    say "release $release is current under $PREFIX (--no-system: nothing else installed)"
    exit 0
fi

# --- settings --------------------------------------------------------------------------------
if [[ -f "$CONF_DIR/kiosk.toml" ]]; then
    say "keeping $CONF_DIR/kiosk.toml"
else
    say "writing $CONF_DIR/kiosk.toml (set [kiosk] id, [central] url/token, [service] pin_hash)"
    sed "s#^data_dir = .*#data_dir = \"$DATA_DIR\"#" "$SRC/kiosk.toml" |
        write_file "$CONF_DIR/kiosk.toml" 0640 "root:$KIOSK_USER"
fi

# --- the hall's time zone ------------------------------------------------------------------
# The kiosk shows and prints hall time from [hall] timezone itself; the machine's zone is set to
# the same so journal lines, the install log and a shell on the kiosk agree with it.
settings="$CONF_DIR/kiosk.toml"
[[ -f "$settings" ]] || settings="$SRC/kiosk.toml"  # --dry-run writes none
hall_zone="$(sed -n '/^\[hall\]/,/^\[/s/^timezone *= *"\([^"]*\)".*/\1/p' "$settings" | head -n 1)"
hall_zone="${hall_zone:-Asia/Shanghai}"
if [[ ! -f "/usr/share/zoneinfo/$hall_zone" ]]; then
    warn "time zone $hall_zone is unknown here (tzdata missing?); the machine's zone is unchanged"
elif [[ -d /run/systemd/system ]] && command -v timedatectl >/dev/null; then
    say "setting the machine's time zone to $hall_zone"
    run timedatectl set-timezone "$hall_zone"
else  # no systemd as PID 1 (a container, a chroot): what timedatectl would write
    say "setting the machine's time zone to $hall_zone (/etc/localtime)"
    run ln -sfn "/usr/share/zoneinfo/$hall_zone" /etc/localtime
    printf '%s\n' "$hall_zone" | write_file /etc/timezone 0644 root:root
fi

# --- system integration ----------------------------------------------------------------------
say "installing udev rules, unit, logrotate and power settings"
write_file /etc/udev/rules.d/99-hall-kiosk.rules 0644 root:root <"$SRC/deploy/99-hall-kiosk.rules"
sed "s#/opt/hall-kiosk#$PREFIX#g" "$SRC/deploy/hall-kiosk.service" |
    write_file "/etc/systemd/system/$UNIT" 0644 root:root
write_file /etc/logrotate.d/hall-kiosk 0644 root:root <"$SRC/deploy/logrotate.conf"
install_logind_dropin() {
    run install -d -m 0755 /etc/systemd/logind.conf.d
    write_file /etc/systemd/logind.conf.d/hall-kiosk.conf 0644 root:root <<'LOGIND'
# Hall kiosk: never idle, suspend or power off from a key a citizen can reach.
[Login]
IdleAction=ignore
HandlePowerKey=ignore
HandleSuspendKey=ignore
HandleHibernateKey=ignore
HandleLidSwitch=ignore
LOGIND
}
install_logind_dropin
run udevadm control --reload
run udevadm trigger --subsystem-match=tty --subsystem-match=usbmisc --subsystem-match=usb
run systemctl daemon-reload
run systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target
if [[ $ENABLE -eq 1 ]]; then
    run systemctl set-default graphical.target
    run systemctl enable "$UNIT"
    for manager in gdm3 lightdm sddm lxdm; do
        if systemctl is-enabled --quiet "$manager.service" 2>/dev/null; then
            warn "$manager is enabled and will compete for the screen: systemctl disable $manager"
        fi
    done
fi
[[ $changed -eq 0 ]] || restart_if_running

# --- old releases ----------------------------------------------------------------------------
keep_current="$(readlink "$PREFIX/current" 2>/dev/null || echo "$release")"
keep_previous="$(readlink "$PREFIX/previous" 2>/dev/null || true)"
if [[ -d "$PREFIX/releases" ]]; then
    count=0
    while IFS= read -r old; do
        count=$((count + 1))
        if [[ $count -gt $KEEP_RELEASES && "$old" != "$keep_current" && "$old" != "$keep_previous" ]]; then
            say "removing old release $old"
            run rm -rf "$old"
        fi
    done < <(find "$PREFIX/releases" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
             sort -rn | cut -d' ' -f2-)
fi

say "done. Next: edit $CONF_DIR/kiosk.toml, check it with"
say "  $PREFIX/current/venv/bin/python $PREFIX/current/main.py --check-config $CONF_DIR/kiosk.toml"
say "then: systemctl restart $UNIT   (logs: journalctl -u $UNIT -f)"
