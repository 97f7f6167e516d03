// Vulkan sharing costs: export and import per texture (p50 over N), against the baseline of
// copying the same frame through the CPU (readTexture + writeTexture, what zero-copy sharing
// avoids), and the cross-process timeline-semaphore round trip where the device exports
// semaphores. Usage: node bench/vulkan-share.mjs [--n 200] [--size 1920x1080] [--rounds 1000]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTextureShareManager, ShareChannel } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const N = Number(option('n', 200));
const [W, H] = option('size', '1920x1080').split('x').map(Number);
const ROUNDS = Number(option('rounds', 1000));

const p50 = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const us = (ns) => `${(ns / 1000).toFixed(1)} us`;
const now = () => process.hrtime.bigint();

const exporter = await createTextureShareManager({ backend: 'vulkan' });
const importer = await createTextureShareManager({ backend: 'vulkan' });
const caps = exporter.capabilities();
console.log(`device: ${caps.device.name} (${caps.device.type}), ${W}x${H} rgba8unorm, N=${N}`);

const desc = { width: W, height: H, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] };
const texture = exporter.createShareableTexture(desc);
const frame = new Uint8Array(W * H * 4).fill(42);
exporter.writeTexture(texture, frame);

const exportNs = [];
const importNs = [];
const copyNs = [];
for (let i = 0; i < N; i++) {
  let start = now();
  const handle = exporter.exportTexture(texture);
  exportNs.push(Number(now() - start));
  start = now();
  const imported = importer.importTexture(handle, desc); // consumes the handle's fd
  importNs.push(Number(now() - start));
  imported.release();
  start = now();
  exporter.writeTexture(texture, exporter.readTexture(texture)); // the per-frame copy sharing avoids
  copyNs.push(Number(now() - start));
}
const share = p50(exportNs) + p50(importNs);
console.log(`export p50: ${us(p50(exportNs))}`);
console.log(`import p50: ${us(p50(importNs))}`);
console.log(`baseline CPU copy (readTexture + writeTexture) p50: ${us(p50(copyNs))}`);
console.log(`export+import vs CPU copy: ${(share / p50(copyNs)).toFixed(4)}x the time (${(p50(copyNs) / share).toFixed(1)}x faster)`);
texture.release();
importer.dispose();

if (!caps.semaphore.exportable || !caps.semaphore.timeline) {
  console.log(`cross-process timeline sync: skipped (${caps.semaphore.reason ?? 'no exportable timeline semaphores'})`);
  exporter.dispose();
} else {
  // Host-side ping-pong: we signal 2i+1, the peer waits for it and signals 2i+2, we wait for that.
  const semaphore = exporter.createExportableSemaphore({ timeline: true });
  const handle = exporter.exportSemaphore(semaphore);
  const [channel, forPeer] = ShareChannel.pair({ label: 'bench' });
  const peer = spawn(process.execPath, [fileURLToPath(new URL('./vulkan-sync-peer.mjs', import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', forPeer.fd],
  });
  forPeer.close();
  const exited = new Promise((resolve) => peer.once('exit', resolve));
  await channel.send({ rounds: ROUNDS }, [handle]);
  exporter.releaseTextureHandle(handle);
  const roundNs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = now();
    semaphore.signal(2 * i + 1);
    await semaphore.wait(2 * i + 2, 10_000);
    roundNs.push(Number(now() - start));
  }
  console.log(`cross-process timeline round trip p50: ${us(p50(roundNs))} (one way ~${us(p50(roundNs) / 2)}), ${ROUNDS} rounds`);
  console.log(`  vs one CPU frame copy: ${(p50(roundNs) / p50(copyNs)).toFixed(4)}x the time`);
  await exited;
  channel.close();
  semaphore.release();
  exporter.dispose();
}
