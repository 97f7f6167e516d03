/**
 * How `'auto'` picks a backend, with the reason for each candidate (shown by `geyser info`).
 *
 * @module
 */
import type { ManagerOptions } from './manager.js';
import type { BackendName } from './types.js';

/** One backend's verdict. */
export interface BackendVerdict {
  backend: BackendName;
  /** Whether it can open on this machine. */
  usable: boolean;
  /** Whether `'auto'` would take it. */
  preferred: boolean;
  /** Why (not) — e.g. "GPU 0 (llvmpipe): CPU device; host backend is faster". */
  reason: string;
}

/**
 * Probes the backends in preference order and returns the verdicts plus the one `'auto'` takes.
 *
 * @example
 * ```ts
 * const { backend, verdicts } = await chooseAutoBackend({});
 * ```
 */
export async function chooseAutoBackend(options: ManagerOptions): Promise<{ backend: BackendName; verdicts: BackendVerdict[] }> {
  const verdicts: BackendVerdict[] = [];
  if (process.platform === 'darwin') {
    verdicts.push(await probe('metal', options));
  }
  verdicts.push(await probe('vulkan', options));
  verdicts.push(await probe('host', options));
  // A usable but not preferred GPU backend (Vulkan on a CPU device such as lavapipe) is slower than
  // the host backend, so after the preferred ones host comes first, then anything usable.
  const chosen =
    verdicts.find((verdict) => verdict.preferred) ??
    verdicts.find((verdict) => verdict.usable && verdict.backend === 'host') ??
    verdicts.find((verdict) => verdict.usable);
  return { backend: chosen?.backend ?? 'host', verdicts };
}

async function probe(backend: BackendName, options: ManagerOptions): Promise<BackendVerdict> {
  try {
    if (backend === 'vulkan') {
      const { probeVulkan } = await import('./vulkan/manager.js');
      return await probeVulkan(options);
    }
    if (backend === 'metal') {
      const { probeMetal } = await import('./metal/manager.js');
      return await probeMetal();
    }
    const { probeHost } = await import('./host/manager.js');
    return await probeHost();
  } catch (error) {
    return { backend, usable: false, preferred: false, reason: (error as Error).message };
  }
}
