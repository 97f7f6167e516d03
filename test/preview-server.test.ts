import { connect } from 'node:net';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { createRgbaImage, drawTestPattern, GeyserError, verifyChecksum } from '../src/index.js';
import { JpegEncoderWorker } from '../src/nodes/preview/jpeg-encoder-worker.js';
import { MjpegServer } from '../src/nodes/preview/mjpeg-server.js';
import { MjpegClient } from './helpers/mjpeg-client.js';
import { openFdCount, waitFor } from './helpers/resources.js';

const listen = (): Promise<MjpegServer> => MjpegServer.listen({ host: '127.0.0.1', port: 0, title: 'cam <0>' });

describe('JpegEncoderWorker', () => {
  it('encodes on its thread to a JPEG that decodes close to the frame', async () => {
    const encoder = new JpegEncoderWorker();
    const frame = createRgbaImage(160, 120);
    drawTestPattern(frame, 3);
    const bytes = await encoder.encode(Uint8Array.from(frame.data), 160, 120, 90);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    expect([decoded.width, decoded.height]).toEqual([160, 120]);
    // Mean absolute error over the picture (not row 0, whose stamp bytes are noise to a JPEG).
    let error = 0;
    for (let i = 160 * 4; i < frame.data.length; i += 4) error += Math.abs(decoded.data[i]! - frame.data[i]!);
    expect(error / (160 * 119)).toBeLessThan(6);
    await encoder.close();
  });

  it('closes idempotently and rejects encodes after close with Released', async () => {
    const encoder = new JpegEncoderWorker();
    await encoder.close();
    await encoder.close();
    await expect(encoder.encode(new Uint8Array(4), 1, 1, 50)).rejects.toThrow(new GeyserError('Released', 'the JPEG encoder has been closed'));
  });
});

describe('MjpegServer', () => {
  it('serves a page that shows the stream', async () => {
    const server = await listen();
    const response = await fetch(server.url);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<img id="stream" src="/stream.mjpg"');
    expect(html).toContain('cam &#60;0&#62;');
    expect((await fetch(new URL('/nope', server.url))).status).toBe(404);
    await server.close();
  });

  it('streams each published JPEG to every viewer as one multipart part', async () => {
    const server = await listen();
    expect(server.wantsFrame).toBe(false);
    const viewer = await MjpegClient.open(new URL('/stream.mjpg', server.url).href);
    expect(viewer.response.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=geyserframe');
    await waitFor(() => server.wantsFrame, 2000, 'the viewer to register');
    const frames = [Buffer.from('first'), Buffer.alloc(100_000, 7), Buffer.from('third')];
    for (const frame of frames) server.publish(frame);
    await waitFor(() => viewer.parts.length === 3, 5000, 'three parts');
    expect(viewer.parts).toEqual(frames);
    viewer.close();
    await waitFor(() => !server.wantsFrame, 2000, 'the viewer to leave');
    expect(server.stats).toMatchObject({ viewers: 0, published: 3, sent: 3, skipped: 0 });
    await server.close();
  });

  it('shows a new viewer the last frame at once', async () => {
    const server = await listen();
    server.publish(Buffer.from('latest'));
    const viewer = await MjpegClient.open(new URL('/stream.mjpg', server.url).href);
    await waitFor(() => viewer.parts.length === 1, 2000, 'the last frame');
    expect(viewer.parts[0]!.toString()).toBe('latest');
    viewer.close();
    await server.close();
  });

  it('answers /frame.jpg with the next published frame', async () => {
    const server = await listen();
    const pending = fetch(new URL('/frame.jpg', server.url));
    await waitFor(() => server.wantsFrame, 2000, 'the request to register');
    server.publish(Buffer.from('snapshot'));
    const response = await pending;
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('snapshot');
    await server.close();
  });

  it('skips frames for a viewer that does not read, while a fast viewer gets them all', async () => {
    const server = await listen();
    const { port } = new URL(server.url);
    // A viewer that sends its request and then never reads: its socket backs up.
    const stalled = connect(Number(port), '127.0.0.1');
    stalled.write('GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n');
    stalled.pause();
    const fast = await MjpegClient.open(new URL('/stream.mjpg', server.url).href);
    await waitFor(() => server.stats.viewers === 2, 2000, 'two viewers');
    const frame = Buffer.alloc(200_000, 1);
    for (let i = 0; i < 60; i++) {
      server.publish(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => fast.parts.length === 60, 10_000, 'all frames at the fast viewer');
    expect(server.stats.skipped).toBeGreaterThan(0);
    expect(server.stats.sent + server.stats.skipped).toBe(120);
    fast.close();
    stalled.destroy();
    await server.close();
  });

  it('closes viewers and its socket, idempotently, leaking no fd', async () => {
    const before = openFdCount();
    const server = await listen();
    const viewer = await MjpegClient.open(new URL('/stream.mjpg', server.url).href);
    await waitFor(() => server.wantsFrame, 2000, 'the viewer');
    const ended = new Promise((resolve) => viewer.response.on('close', resolve));
    await server.close();
    await server.close();
    await ended;
    await expect(fetch(server.url)).rejects.toThrow();
    await waitFor(() => openFdCount() === before, 2000, 'fds to close');
  });

  it('reports a port in use as a GeyserError naming the address', async () => {
    const server = await listen();
    const { port } = new URL(server.url);
    await expect(MjpegServer.listen({ host: '127.0.0.1', port: Number(port), title: 'x' })).rejects.toThrow(
      new GeyserError('Other', `preview cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`, { detail: 'EADDRINUSE' }),
    );
    await server.close();
  });
});

// Keeps the import of verifyChecksum meaningful: a JPEG round trip destroys the stamp, by design.
it('a JPEG preview frame does not carry a verifiable stamp (lossy), which is why hashSink reads textures', async () => {
  const encoder = new JpegEncoderWorker();
  const frame = createRgbaImage(64, 48);
  drawTestPattern(frame, 9);
  const decoded = jpeg.decode(await encoder.encode(Uint8Array.from(frame.data), 64, 48, 100), { useTArray: true, formatAsRGBA: true });
  expect(verifyChecksum(decoded.data, 64, 48).ok).toBe(false);
  await encoder.close();
});
