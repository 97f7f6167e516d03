#!/usr/bin/env bash
# Packs what a run on the NVIDIA machine needs beyond ../shared/tools/device-prep.sh (node + Vulkan
# loader): the built addon, dist/, and a node_modules trimmed to what tests and benches load
# (vitest and rxjs; not typescript/typedoc), compressed to fit the 64 MiB transfer limit.
# Usage: bash scripts/pack-for-device.sh   then carry .device and start with: source .device/env.sh; bash scripts/device-unpack.sh
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
[[ -f .device/env.sh ]] || bash ../shared/tools/device-prep.sh
tar -C . -cJf .device/bundle.tar.xz \
  --exclude='node_modules/typescript' --exclude='node_modules/typedoc' --exclude='node_modules/@shikijs' \
  --exclude='node_modules/node-gyp' --exclude='node_modules/@types' --exclude='node_modules/markdown-it' \
  --exclude='node_modules/.cache' --exclude='node_modules/@ffmpeg-installer' --exclude='node_modules/@ffprobe-installer' \
  node_modules build/Release/geyser.node dist
du -sh .device/bundle.tar.xz
