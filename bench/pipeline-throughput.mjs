#!/usr/bin/env node
// The pipeline throughput benchmark now lives in the suite (src/bench/benchmarks/pipeline.ts:
// three-process pipeline frames/s at 720p, 1080p and 4K on the host backend vs raw frames through a
// three-process chain of pipes, medians of interleaved rounds with every Geyser round before the
// pipe rounds; per-node overhead of the node helper vs plain RxJS operators; the same pipeline on
// the Vulkan backend where it opens). This runs it alone:
//
//   node bench/pipeline-throughput.mjs [--quick] [--json] [--out FILE]
import { runBench } from '../dist/cli/bench.js';

process.exitCode = await runBench(['--only', 'pipeline', ...process.argv.slice(2)]);
