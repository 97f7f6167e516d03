#!/usr/bin/env bash
# Runs the Vulkan test files on a GPU machine (npm run test:gpu). GEYSER_REQUIRE_GPU=1 makes the
# GPU-only tests (exportable semaphores/fences, the cross-process timeline ping-pong, the
# cross-process fence) fail instead of being skipped when the device cannot export them.
# Usage: scripts/test-gpu.sh [extra vitest args]; NODE may name the node binary to use.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE="${NODE:-node}"

"$NODE" -e "const v = require('./build/Release/geyser.node').vulkan; if (!v.available) { console.error('Vulkan unavailable: ' + v.reason); process.exit(1); } console.log(v.Device.listDevices().map((d) => d.label + (d.rejectReason ? ': ' + d.rejectReason : '')).join('\n'));"

# Child-process fixtures import dist/: rebuild it when TypeScript is here (the device bundle of
# scripts/pack-for-device.sh ships a built dist/ without TypeScript; then dist/ is used as is).
if [ -f node_modules/typescript/bin/tsc ]; then
  "$NODE" node_modules/typescript/bin/tsc -p tsconfig.build.json
elif [ ! -f dist/index.js ]; then
  echo "dist/ is missing and TypeScript is not installed: build dist/ before running" >&2
  exit 1
fi

GEYSER_REQUIRE_GPU=1 "$NODE" node_modules/vitest/vitest.mjs run \
  test/vulkan-manager.test.ts test/vulkan-share.test.ts test/vulkan-errors.test.ts \
  test/vulkan-sync.test.ts test/vulkan-worker.test.ts test/pipeline-vulkan.test.ts \
  test/vulkan-compute.test.ts test/vulkan-compute-process.test.ts test/vulkan-compute-async.test.ts \
  test/vulkan-compute-kernels.test.ts test/node-filters-vulkan.test.ts test/encode-vulkan.test.ts \
  test/vulkan-compute-passes.test.ts test/gpu-test-pattern.test.ts test/node-testPattern-gpu.test.ts \
  test/gpu-yuv420-packed.test.ts test/vulkan-read-into.test.ts test/node-colorConvert-vulkan.test.ts \
  test/gpu-composite.test.ts test/node-composite-vulkan.test.ts "$@"
