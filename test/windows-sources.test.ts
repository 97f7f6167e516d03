// The Windows source list (native/list-sources.cjs win32) and the stand-ins it swaps in for the
// POSIX-only areas. The MinGW syntax check itself is scripts/check-windows-build.sh; here the
// stand-ins are compiled for Linux (with no Vulkan, so only the Windows list's portable files and
// stand-ins remain) and loaded in a real child process, to see each area say why it is missing.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaksPerTest } from './helpers/resources.js';

const ROOT = resolve(import.meta.dirname, '..');
const LIST_SOURCES = join(ROOT, 'native', 'list-sources.cjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: ROOT, env }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function listSources(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const listed = await run(process.execPath, [LIST_SOURCES, ...args], env);
  expect(listed.code, listed.stderr).toBe(0);
  return listed.stdout.split(' ');
}

const POSIX_ONLY = [
  'native/common/common_module.cc',
  'native/vulkan/fd_import.cc',
  'native/vulkan/fd_signature.cc',
  'native/vulkan/fd_ops.cc',
];
const WINDOWS_ONLY = ['native/common/posix_unavailable.cc', 'native/vulkan/fd_ops_win32.cc'];

describe('native/list-sources.cjs', () => {
  expectNoLeaksPerTest();

  it('lists the Windows sources without host/, ipc/ or the fd files, and with their stand-ins', async () => {
    const sources = await listSources(['win32']);
    expect(sources.filter((source) => /^native\/(host|ipc|metal)\//.test(source))).toEqual([]);
    for (const file of POSIX_ONLY) expect(sources).not.toContain(file);
    for (const file of [...WINDOWS_ONLY, 'native/vulkan/win32_handles.cc', 'native/vulkan/shared_image.cc', 'native/addon.cc']) {
      expect(sources).toContain(file);
    }
  });

  it('takes the target from GEYSER_TARGET_PLATFORM as well as from the argument', async () => {
    const fromEnv = await listSources([], { ...process.env, GEYSER_TARGET_PLATFORM: 'win32' });
    expect(fromEnv).toEqual(await listSources(['win32']));
  });

  it("lists this machine's sources when no target is named, the stand-ins left out", async () => {
    const here = await listSources([], { ...process.env, GEYSER_TARGET_PLATFORM: '' });
    expect(here).toEqual(await listSources([process.platform]));
    for (const file of [...POSIX_ONLY, 'native/host/memfd.cc', 'native/ipc/socket_ops.cc']) expect(here).toContain(file);
    for (const file of WINDOWS_ONLY) expect(here).not.toContain(file);
  });

  it('refuses an unknown target platform, naming it', async () => {
    const refused = await run(process.execPath, [LIST_SOURCES, 'windows']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe("list-sources: unknown target platform 'windows' (expected linux, darwin or win32)\n");
  });
});

// The headers node-gyp built the addon with (build/config.gypi records where they came from).
function nodeHeaders(): string {
  const config = readFileSync(join(ROOT, 'build', 'config.gypi'), 'utf8');
  const nodedir = /"nodedir": "([^"]+)"/.exec(config)?.[1];
  if (nodedir === undefined) throw new Error('build/config.gypi names no nodedir: run npm ci first');
  return join(nodedir, 'include', 'node');
}

describe('the Windows stand-ins, built for Linux', () => {
  let dir = '';
  let addon = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'geyser-stand-ins-'));
    addon = join(dir, 'geyser.node');
    const sources = await listSources(['win32']);
    const addonApi = createRequire(import.meta.url)('node-addon-api').include_dir as string;
    execFileSync(
      'g++',
      ['-std=c++17', '-shared', '-fPIC', '-O0', '-DNAPI_VERSION=8', '-DNODE_ADDON_API_CPP_EXCEPTIONS'].concat(
        [`-I${nodeHeaders()}`, `-I${addonApi}`, '-Inative', ...sources, '-o', addon],
      ),
      { cwd: ROOT, stdio: 'pipe' },
    );
  }, 180_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  expectNoLeaksPerTest();

  it('load, and each missing area says why through a GeyserError', async () => {
    const child = await run(process.execPath, [join(ROOT, 'test', 'fixtures', 'windows-stand-ins.mjs')], {
      ...process.env,
      GEYSER_ADDON_PATH: addon,
    });
    expect(child.code, child.stderr).toBe(0);
    const hostReason = 'memfd textures and futex sync need Linux; this addon was built for Windows';
    const ipcReason = 'fd passing over unix sockets needs Linux; this addon was built for Windows';
    const hostUnavailable = `the host backend is unavailable: ${hostReason}`;
    const channelUnavailable = { isGeyserError: true, code: 'BackendUnavailable', message: `ShareChannel is unavailable: ${ipcReason}` };
    const fdsUnsupported = (name: string) => ({
      isGeyserError: true,
      code: 'OperationNotSupported',
      message: `${name}: file descriptors are not supported on Windows yet`,
    });
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual({
      host: { available: false, reason: hostReason },
      ipc: { available: false, reason: ipcReason },
      hostVerdict: { backend: 'host', usable: false, preferred: false, reason: hostUnavailable },
      hostManager: { isGeyserError: true, code: 'BackendUnavailable', message: `the host backend cannot open: ${hostUnavailable}` },
      channelPair: channelUnavailable,
      channelConnect: channelUnavailable,
      closeFd: fdsUnsupported('closeFd'),
      isFdOpen: fdsUnsupported('isFdOpen'),
    });
  });
});
