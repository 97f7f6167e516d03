#!/usr/bin/env bash
# On the NVIDIA machine, after `source .device/env.sh`: unpacks the bundle made by pack-for-device.sh.
set -euo pipefail
[[ -L node_modules ]] && rm node_modules
tar -xJf .device/bundle.tar.xz
node --version
