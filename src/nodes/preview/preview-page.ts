/**
 * The HTML page the preview serves at `/`: the MJPEG stream at its natural size, top left.
 *
 * @internal
 * @module
 */

/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page. The image sits at (0, 0) at 1:1 scale so a screenshot maps pixel for pixel onto the
 * frame; the caption goes below it.
 */
export function previewPage(title: string): string {
  const name = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${name} - geyser preview</title>
<style>
  html, body { margin: 0; padding: 0; background: #202020; color: #d0d0d0; font: 14px system-ui, sans-serif; }
  img { display: block; image-rendering: pixelated; }
  p { margin: 8px; }
</style>
</head>
<body>
<img id="stream" src="/stream.mjpg" alt="live view of ${name}">
<p>${name}: live MJPEG preview (<a href="/frame.jpg">latest frame</a>)</p>
</body>
</html>
`;
}
