import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function hasGlslang(): boolean {
  try {
    execFileSync('glslangValidator', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A copy of the script, the shader sources and the generated outputs, laid out as in the repo. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geyser-shaders-test-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src', 'nodes', 'gpu'), { recursive: true });
  cpSync(join(root, 'scripts', 'build-shaders.mjs'), join(dir, 'scripts', 'build-shaders.mjs'));
  cpSync(join(root, 'shaders'), join(dir, 'shaders'), { recursive: true });
  cpSync(join(root, 'src', 'nodes', 'gpu', 'shaders.ts'), join(dir, 'src', 'nodes', 'gpu', 'shaders.ts'));
  return dir;
}

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

// The check compiles the shaders, so it needs glslangValidator (Debian glslang-tools); machines
// without it (the NVIDIA device bundle) skip it: the committed SPIR-V is what they run.
it.skipIf(!hasGlslang())('shaders:check passes on the committed output and fails naming each stale file after a shader edit', () => {
  scratch = copyProject();
  const script = join(scratch, 'scripts', 'build-shaders.mjs');
  const fresh = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(fresh.stderr).toBe('');
  expect(fresh.status).toBe(0);
  expect(fresh.stdout).toMatch(/^shaders:check: \d+ shaders up to date\n$/);

  const source = join(scratch, 'shaders', 'grayscale.comp');
  writeFileSync(source, readFileSync(source, 'utf8').replace('+ 5000u', '+ 4999u'));
  const stale = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(stale.status).toBe(1);
  expect(stale.stderr).toBe(
    'shaders:check: compiled shaders are stale; run `npm run shaders` and commit:\n  shaders/spv/grayscale.spv\n  src/nodes/gpu/shaders.ts\n',
  );

  const rebuilt = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  expect(rebuilt.status).toBe(0);
  expect(spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' }).status).toBe(0);
});
