/** Test helper: a minimal MJPEG (multipart/x-mixed-replace) reader over a raw HTTP response. */
import { get, type IncomingMessage } from 'node:http';

/** Reads parts from an MJPEG stream and collects each part's body. */
export class MjpegClient {
  readonly parts: Buffer[] = [];
  readonly response: IncomingMessage;
  #buffer = Buffer.alloc(0);

  private constructor(response: IncomingMessage) {
    this.response = response;
    response.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
  }

  /** Opens `url` and resolves once the response headers arrived. */
  static open(url: string): Promise<MjpegClient> {
    return new Promise((resolve, reject) => {
      get(url, (response) => resolve(new MjpegClient(response))).on('error', reject);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.response.destroy();
  }

  #parse(): void {
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.#buffer.subarray(0, headerEnd).toString('latin1');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (!header.startsWith('--geyserframe') || !Number.isInteger(length)) throw new Error(`bad part header: ${header}`);
      const end = headerEnd + 4 + length + 2;
      if (this.#buffer.length < end) return;
      this.parts.push(Buffer.from(this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length)));
      this.#buffer = this.#buffer.subarray(end);
    }
  }
}
