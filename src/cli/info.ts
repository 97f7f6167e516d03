/**
 * `geyser info [--json]`: which backends work here, their devices, and what each can do.
 *
 * @internal
 * @module
 */
import { chooseAutoBackend } from '../core/backend-choice.js';
import { createTextureShareManager } from '../core/manager.js';
import type { Capabilities } from '../core/types.js';

/** One backend's entry in `geyser info`. */
export interface BackendReport {
  backend: string;
  usable: boolean;
  preferred: boolean;
  reason: string;
  capabilities?: Capabilities;
  error?: string;
}

/** Gathers what `geyser info` reports. */
export async function gatherInfo(): Promise<{ auto: string; backends: BackendReport[] }> {
  const { backend: auto, verdicts } = await chooseAutoBackend({});
  const backends: BackendReport[] = [];
  for (const verdict of verdicts) {
    const entry: BackendReport = { ...verdict };
    if (verdict.usable) {
      try {
        const manager = await createTextureShareManager({ backend: verdict.backend });
        entry.capabilities = manager.capabilities();
        manager.dispose();
      } catch (error) {
        entry.error = (error as Error).message;
      }
    }
    backends.push(entry);
  }
  return { auto, backends };
}

/** Runs `geyser info`. */
export async function runInfo(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`geyser info: unknown option ${unknown[0]}\n`);
    return 2;
  }
  const info = await gatherInfo();
  if (json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return 0;
  }
  const lines = [`auto backend: ${info.auto}`, ''];
  for (const entry of info.backends) {
    lines.push(`${entry.backend}: ${entry.usable ? 'usable' : 'unavailable'}${entry.preferred ? ' (preferred)' : ''} - ${entry.reason}`);
    const caps = entry.capabilities;
    if (caps) {
      lines.push(`  device: ${caps.device.name} [${caps.device.type}]${caps.device.driver ? `, driver ${caps.device.driver}` : ''}`);
      lines.push(`  formats: ${Object.keys(caps.formats).length} shareable${Object.keys(caps.unsupportedFormats).length ? `; unsupported: ${Object.entries(caps.unsupportedFormats).map(([f, why]) => `${f} (${why})`).join(', ')}` : ''}`);
      lines.push(`  memory export: ${caps.memory.exportable ? caps.memory.handleTypes.join(', ') : `no (${caps.memory.reason})`}`);
      lines.push(`  semaphores: ${caps.semaphore.exportable ? `${caps.semaphore.timeline ? 'timeline, ' : ''}${caps.semaphore.handleTypes.join(', ')}` : `not exportable (${caps.semaphore.reason})`}`);
      lines.push(`  fences: ${caps.fence.exportable ? caps.fence.handleTypes.join(', ') : `not exportable (${caps.fence.reason})`}`);
    }
    if (entry.error) lines.push(`  error: ${entry.error}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
