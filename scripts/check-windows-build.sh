#!/usr/bin/env bash
# Checks from Linux that the addon's sources compile for Windows: each file that a Windows build
# compiles (node native/list-sources.cjs win32) goes through MinGW-w64's g++ with -fsyntax-only,
# the C++ flags and defines of binding.gyp (Vulkan on), and warnings as errors.
#
# This is a syntax and type check against MinGW's Windows headers: nothing is linked or run, and
# MSVC (which node-gyp uses on Windows) is not tried.
#
#   bash scripts/check-windows-build.sh            # or: npm run check:windows
#   MINGW_CXX=/path/to/x86_64-w64-mingw32-g++ bash scripts/check-windows-build.sh
#
# Exit status: 0 when every file passes, 1 when some fail (they are listed), 2 when a tool or
# header is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
cxx="${MINGW_CXX:-x86_64-w64-mingw32-g++}"

if ! command -v "$cxx" > /dev/null 2>&1; then
  echo "check-windows-build: $cxx not found; install MinGW-w64 (Debian/Ubuntu: apt-get install g++-mingw-w64-x86-64-posix)" >&2
  exit 2
fi

# Node's headers and Vulkan's, copied alone into a temp dir: pointing MinGW at /usr/include would
# pull in the Linux C library headers and hide exactly the errors this check is for.
# Node's headers: where this node was installed, the distribution's place, or node-gyp's cache.
node_include=""
for candidate in "$(node -p "require('path').join(process.config.variables.node_prefix, 'include', 'node')")" \
    /usr/include/node /usr/local/include/node "$HOME/.cache/node-gyp/$(node -p 'process.versions.node')/include/node"; do
  if [ -f "$candidate/node_api.h" ]; then node_include="$candidate"; break; fi
done
if [ -z "$node_include" ]; then
  echo "check-windows-build: Node's headers (node_api.h) not found; run 'npx node-gyp install' to fetch them" >&2
  exit 2
fi
vulkan_root="${VULKAN_SDK:+$VULKAN_SDK/include}"
vulkan_root="${vulkan_root:-/usr/include}"
if [ ! -f "$vulkan_root/vulkan/vulkan_core.h" ]; then
  echo "check-windows-build: Vulkan headers not found in $vulkan_root (install libvulkan-dev, or set VULKAN_SDK)" >&2
  exit 2
fi

headers="$(mktemp -d "${TMPDIR:-/tmp}/geyser-wininc.XXXXXX")"
diagnostics="$(mktemp "${TMPDIR:-/tmp}/geyser-winlog.XXXXXX")"
trap 'rm -rf "$headers" "$diagnostics"' EXIT
cp -r "$node_include" "$headers/node"
cp -r "$vulkan_root/vulkan" "$headers/vulkan"
if [ -d "$vulkan_root/vk_video" ]; then cp -r "$vulkan_root/vk_video" "$headers/vk_video"; fi

# binding.gyp's C++ flags and defines (its Vulkan defines included), so this check follows it.
# (Read as JSON: binding.gyp has no comments or trailing commas, which gyp would allow.)
flags_text="$(node -e "
  try {
    const gyp = JSON.parse(require('fs').readFileSync('binding.gyp', 'utf8'));
    const target = gyp.targets[0];
    const vulkan = target.conditions.find(([test]) => test.startsWith('has_vulkan_headers'))[1];
    const defines = [...target.defines, ...vulkan.defines].map((define) => '-D' + define);
    process.stdout.write([...target.cflags_cc, ...defines].join(' '));
  } catch (error) {
    console.error('check-windows-build: cannot read the flags of binding.gyp as JSON: ' + error.message);
    process.exit(2);
  }
")"
read -r -a gyp_flags <<< "$flags_text"
node_addon_api="$(node -p "require('node-addon-api').include_dir")"
sources="$(node native/list-sources.cjs win32)"

failed=()
count=0
for source in $sources; do
  count=$((count + 1))
  if ! "$cxx" -fsyntax-only -Werror "${gyp_flags[@]}" -I"$headers/node" -I"$headers" -I"$node_addon_api" -Inative \
      "$source" > "$diagnostics" 2>&1; then
    failed+=("$source")
    echo "--- $source" >&2
    head -n 20 "$diagnostics" >&2
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "check-windows-build: ${#failed[@]} of $count Windows sources failed with $cxx:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "check-windows-build: all $count Windows sources compile with $cxx (syntax and types only; nothing linked)"
