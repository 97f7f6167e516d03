/**
 * The progress indicator on stderr. On a terminal it redraws one status line (at most ~10 times a
 * second); elsewhere (CI logs, pipes) it writes one plain line when each step starts and ends, so
 * logs stay readable and free of control characters.
 *
 * @internal
 * @module
 */

/** Where progress goes; `isTTY` picks the style. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

/** A progress reporter for a run of `total` steps. */
export interface Progress {
  /** A new step begins (1-based `index`). */
  start(index: number, name: string): void;
  /** Progress within the current step. */
  update(fraction: number, detail?: string): void;
  /** The current step ended. */
  end(summary: string): void;
  /** Clears the status line (terminal). */
  done(): void;
}

const REDRAW_INTERVAL_MS = 100;

/**
 * Makes the reporter for `stream` (`process.stderr` by default).
 *
 * @example
 * ```ts
 * const progress = createProgress(3);
 * progress.start(1, 'handoff');
 * progress.update(0.5, '1080p');
 * progress.end('ok in 4.1 s');
 * progress.done();
 * ```
 * @param total - number of steps
 * @param stream - where to write; a TTY gets the redrawn status line
 */
export function createProgress(total: number, stream: ProgressStream = process.stderr): Progress {
  let step = '';
  let stepStart = 0;
  let lastDraw = 0;
  const tty = stream.isTTY === true;
  const prefix = (index: number) => `[${index}/${total}]`;
  let current = 0;

  const draw = (fraction: number, detail: string) => {
    const percent = `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`.padStart(4);
    const width = 20;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const line = `${prefix(current)} ${step} [${bar}] ${percent} ${detail}`;
    const columns = stream.columns ?? 100;
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, columns - 1))}`);
  };

  return {
    start(index, name) {
      current = index;
      step = name;
      stepStart = Date.now();
      if (tty) draw(0, '');
      else stream.write(`geyser bench ${prefix(index)} ${name}: running\n`);
    },
    update(fraction, detail = '') {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = now;
      draw(fraction, detail);
    },
    end(summary) {
      const seconds = ((Date.now() - stepStart) / 1000).toFixed(1);
      const line = `geyser bench ${prefix(current)} ${step}: ${summary} (${seconds} s)\n`;
      stream.write(tty ? `\r\x1b[2K${line}` : line);
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
