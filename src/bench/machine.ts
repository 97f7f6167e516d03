/**
 * What machine a run happened on: CPU, memory, OS, Node, the backend `'auto'` picks, and the GPU
 * and driver as the Vulkan backend sees them. Written into every report so runs can be compared.
 *
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { chooseAutoBackend } from '../core/backend-choice.js';
import { createTextureShareManager } from '../core/manager.js';
import type { MachineInfo } from './types.js';

/** The distribution's name from `/etc/os-release`, if there is one. */
function distroName(): string | undefined {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Lower-case words joined by dashes, for file names.
 *
 * @example
 * ```ts
 * slug('AMD EPYC 9454 48-Core Processor'); // 'amd-epyc-9454-48'
 * ```
 */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\((r|tm)\)/g, '')
    .replace(/\b(processor|cpu|core|with|radeon graphics)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/**
 * A short, file-name-safe name for a machine: CPU model and core count, then the GPU if any
 * (`amd-epyc-2c`, `intel-xeon-platinum-8480-16c-nvidia-h100-80gb-hbm3`).
 *
 * @example
 * ```ts
 * machineId({ cpu: { model: 'AMD EPYC', cores: 2 } }); // 'amd-epyc-2c'
 * ```
 */
export function machineId(info: Pick<MachineInfo, 'cpu' | 'gpu'>): string {
  const gpu = info.gpu && info.gpu.type !== 'cpu' ? `-${slug(info.gpu.name)}` : '';
  return `${slug(info.cpu.model) || 'cpu'}-${info.cpu.cores}c${gpu}`;
}

/**
 * Gathers the machine description. Never throws: what cannot be learned is reported as a reason.
 *
 * @example
 * ```ts
 * const machine = await collectMachineInfo();
 * console.log(machine.id, machine.gpu?.name ?? machine.gpuReason);
 * ```
 * @param ffmpeg - the ffmpeg binary the suite will use, if known
 */
export async function collectMachineInfo(ffmpeg?: string): Promise<MachineInfo> {
  const cpuList = cpus();
  const info: MachineInfo = {
    id: '',
    cpu: { model: (cpuList[0]?.model ?? 'unknown').trim(), cores: cpuList.length },
    memoryBytes: totalmem(),
    os: { platform: platform(), release: release(), arch: arch(), distro: distroName() },
    node: process.version,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    backend: { auto: 'unknown', reason: '' },
  };
  try {
    const { backend, verdicts } = await chooseAutoBackend({});
    info.backend = { auto: backend, reason: verdicts.find((v) => v.backend === backend)?.reason ?? '' };
    const vulkan = verdicts.find((v) => v.backend === 'vulkan');
    if (vulkan?.usable) {
      const manager = await createTextureShareManager({ backend: 'vulkan' });
      try {
        const caps = manager.capabilities();
        info.gpu = {
          name: caps.device.name,
          type: caps.device.type,
          driver: caps.device.driver,
          apiVersion: caps.device.apiVersion,
          semaphoreExport: caps.semaphore.exportable,
        };
      } finally {
        manager.dispose();
      }
    } else {
      info.gpuReason = vulkan ? `Vulkan: ${vulkan.reason}` : 'no Vulkan backend on this platform';
    }
  } catch (error) {
    info.gpuReason = `Vulkan: ${(error as Error).message}`;
  }
  if (ffmpeg) info.ffmpeg = ffmpeg;
  info.id = machineId(info);
  return info;
}
