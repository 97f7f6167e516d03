// Lists the addon's C++ sources for binding.gyp: every .cc under native/, minus what does not build
// on the target platform (metal/ needs macOS, whose .mm files are added on macOS only; the POSIX-only
// areas are replaced on Windows by stand-ins that report themselves unavailable).
//
// The target is this machine's platform unless GEYSER_TARGET_PLATFORM (or the first argument)
// names another: `node native/list-sources.cjs win32` lists what a Windows build compiles, so
// scripts/check-windows-build.sh can check it from Linux.
'use strict';
const fs = require('fs');
const path = require('path');

const root = __dirname;
const named = process.argv[2] || process.env.GEYSER_TARGET_PLATFORM;
const target = named || process.platform;
if (named && !['linux', 'darwin', 'win32'].includes(named)) {
  process.stderr.write(`list-sources: unknown target platform '${target}' (expected linux, darwin or win32)\n`);
  process.exit(1);
}

// Paths relative to native/: a folder ends with '/'. Each entry builds only where its test holds.
const onlyWhere = [
  { paths: ['metal/'], builds: (platform) => platform === 'darwin' },
  // memfd, futex, SCM_RIGHTS sockets, fcntl, /proc: see common/posix_unavailable.cc for Windows.
  {
    paths: ['host/', 'ipc/', 'common/common_module.cc', 'vulkan/fd_import.cc', 'vulkan/fd_signature.cc', 'vulkan/fd_ops.cc'],
    builds: (platform) => platform !== 'win32',
  },
  { paths: ['common/posix_unavailable.cc', 'vulkan/fd_ops_win32.cc'], builds: (platform) => platform === 'win32' },
];
const left = new Set(onlyWhere.filter((rule) => !rule.builds(target)).flatMap((rule) => rule.paths));
const sourceExtensions = target === 'darwin' ? ['.cc', '.mm'] : ['.cc'];

const out = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (entry.isDirectory()) {
      if (!left.has(`${relative}/`)) walk(full);
    } else if (sourceExtensions.some((extension) => entry.name.endsWith(extension)) && !left.has(relative)) {
      out.push(path.relative(path.dirname(root), full).split(path.sep).join('/'));
    }
  }
})(root);
process.stdout.write(out.join(' '));
