#!/bin/bash
# The kiosk's Wayland session: cage shows exactly one fullscreen app, no desktop, no VT switching.
# Started by hall-kiosk.service; `exec` makes cage the unit's main process, so WATCHDOG_PID is the
# app's parent, which kiosk/services/watchdog.py accepts.
set -euo pipefail

app_dir="${HALL_KIOSK_APP_DIR:-/opt/hall-kiosk/current}"
config="${HALL_KIOSK_CONFIG:-/etc/hall-kiosk/kiosk.toml}"
cage_bin="${HALL_KIOSK_CAGE:-cage}"

if [[ -z "${XDG_RUNTIME_DIR:-}" ]]; then
    echo "hall-kiosk-session: XDG_RUNTIME_DIR is not set (needs PAMName=login in the unit)" >&2
    exit 1
fi
if [[ ! -x "$app_dir/venv/bin/python" || ! -f "$app_dir/main.py" ]]; then
    echo "hall-kiosk-session: no app in $app_dir (run deploy/install.sh)" >&2
    exit 1
fi

export XDG_SESSION_TYPE=wayland
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-wayland}"
export QT_WAYLAND_DISABLE_WINDOWDECORATION=1
# Without -s cage refuses Ctrl+Alt+Fn, so nobody switches to a text console from the keyboard.
exec "$cage_bin" -d -- "$app_dir/venv/bin/python" "$app_dir/main.py" --config "$config"
