import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GeyserError } from '../src/core/errors.js';
import { locateFfmpeg, locateFfprobe } from '../src/nodes/ffmpeg/locate.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-locate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory with no node_modules: the binary packages cannot resolve from it. */
const noPackages = scratch;

describe('locateFfmpeg', () => {
  it('takes $FFMPEG_PATH first', () => {
    const fake = join(scratch, 'my-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(locateFfmpeg({ env: { FFMPEG_PATH: fake, PATH: '/usr/bin' } })).toEqual({ path: fake, source: '$FFMPEG_PATH' });
  });

  it('falls back to the binary shipped in @ffmpeg-installer/ffmpeg when ffmpeg-static has none', () => {
    const found = locateFfmpeg({ env: { PATH: '' } });
    expect(found.source).toBe('the @ffmpeg-installer/ffmpeg package');
    const run = spawnSync(found.path, ['-hide_banner', '-version']);
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toMatch(/^ffmpeg version/);
  });

  it('falls back to ffmpeg on PATH when no package has one', () => {
    expect(locateFfmpeg({ env: { PATH: '/nonexistent:/usr/bin' }, resolveFrom: noPackages })).toEqual({ path: '/usr/bin/ffmpeg', source: '$PATH' });
  });

  it('warns when $FFMPEG_PATH points nowhere and a later place is used', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const found = locateFfmpeg({ env: { FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: '/usr/bin' }, resolveFrom: noPackages });
      expect(found.path).toBe('/usr/bin/ffmpeg');
      expect(emitWarning).toHaveBeenCalledWith('$FFMPEG_PATH ignored (/nonexistent/ffmpeg does not exist); using /usr/bin/ffmpeg from $PATH', { code: 'GEYSER_FFMPEG_FALLBACK' });
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('throws FfmpegNotFound naming every place tried and why, when env and PATH point at nothing', () => {
    const attempt = () => locateFfmpeg({ env: { FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: '/nonexistent' }, resolveFrom: noPackages });
    expect(attempt).toThrow(
      new GeyserError(
        'FfmpegNotFound',
        'ffmpeg was not found. Tried:\n' +
          '  $FFMPEG_PATH: /nonexistent/ffmpeg does not exist\n' +
          '  the ffmpeg-static package: not installed\n' +
          '  the @ffmpeg-installer/ffmpeg package: not installed\n' +
          '  $PATH: no executable ffmpeg in /nonexistent\n' +
          'Install ffmpeg (e.g. apt-get install ffmpeg, brew install ffmpeg) or set FFMPEG_PATH to its executable.',
      ),
    );
  });

  it('says why a file that exists is not usable', () => {
    const notExecutable = join(scratch, 'plain-file');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);
    expect(() => locateFfmpeg({ env: { FFMPEG_PATH: scratch, PATH: '' }, resolveFrom: noPackages })).toThrow(`$FFMPEG_PATH: ${scratch} is not a file`);
    // root may execute anything with an x bit, and nothing without one
    expect(() => locateFfmpeg({ env: { FFMPEG_PATH: notExecutable, PATH: '' }, resolveFrom: noPackages })).toThrow(`$FFMPEG_PATH: ${notExecutable} is not executable`);
    expect(() => locateFfmpeg({ env: { PATH: '' }, resolveFrom: noPackages })).toThrow('  $PATH: empty\n');
  });

  it('reports FfmpegNotFound from a real process whose PATH holds no ffmpeg', () => {
    const script = `import('${join(process.cwd(), 'dist/index.js')}').then((g) => { try { g.locateFfmpeg({ resolveFrom: '${noPackages}' }); } catch (e) { console.log(e.code + '|' + e.message.split('\\n')[4]); } });`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: '/nonexistent' } });
    expect(run.stdout.toString().trim()).toBe('FfmpegNotFound|  $PATH: no executable ffmpeg in /nonexistent');
  });
});

describe('locateFfprobe', () => {
  it('finds an ffprobe beside $FFMPEG_PATH', () => {
    expect(locateFfprobe({ env: { FFMPEG_PATH: '/usr/bin/ffmpeg', PATH: '' }, resolveFrom: noPackages })).toEqual({ path: '/usr/bin/ffprobe', source: 'beside $FFMPEG_PATH' });
  });

  it('throws FfmpegNotFound naming its own chain', () => {
    expect(() => locateFfprobe({ env: { PATH: '/nonexistent' }, resolveFrom: noPackages })).toThrow(
      'ffprobe was not found. Tried:\n' +
        '  $FFPROBE_PATH: not set\n' +
        '  beside $FFMPEG_PATH: FFMPEG_PATH not set\n' +
        '  the @ffprobe-installer/ffprobe package: not installed\n' +
        '  $PATH: no executable ffprobe in /nonexistent\n',
    );
  });
});
