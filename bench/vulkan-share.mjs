#!/usr/bin/env node
// The Vulkan sharing benchmark now lives in the suite (src/bench/benchmarks/vulkan.ts: export and
// import p50 vs the host backend and a CPU frame copy; cross-process timeline-semaphore round trip,
// or the degraded fence-wait path where semaphores cannot be exported, vs host semaphores and the
// bare ping-pong). This runs it alone:
//
//   node bench/vulkan-share.mjs [--quick] [--json] [--out FILE]
import { runBench } from '../dist/cli/bench.js';

process.exitCode = await runBench(['--only', 'vulkan', ...process.argv.slice(2)]);
