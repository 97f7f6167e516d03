#!/usr/bin/env node
// The handoff benchmark now lives in the suite (src/bench/benchmarks/handoff.ts: ShareChannel
// handoff of real shared host-texture slots vs the bare net ping-pong, raw frames over a pipe and
// over child_process IPC, at 720p, 1080p and 4K). This runs it alone:
//
//   node bench/handoff.mjs [--quick] [--json] [--out FILE]
import { runBench } from '../dist/cli/bench.js';

process.exitCode = await runBench(['--only', 'handoff', ...process.argv.slice(2)]);
