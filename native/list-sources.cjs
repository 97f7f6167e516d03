// Lists the addon's C++ sources for binding.gyp: every .cc under native/, minus the platform
// folders that do not build here (metal/ needs macOS; its .mm files are added on macOS only).
'use strict';
const fs = require('fs');
const path = require('path');

const root = __dirname;
const skip = new Set(process.platform === 'darwin' ? [] : ['metal']);
const out = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) walk(full);
    } else if (entry.name.endsWith('.cc') || (process.platform === 'darwin' && entry.name.endsWith('.mm'))) {
      out.push(path.relative(path.dirname(root), full).split(path.sep).join('/'));
    }
  }
})(root);
process.stdout.write(out.join(' '));
