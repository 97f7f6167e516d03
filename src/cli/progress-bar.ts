/**
 * A one-line progress bar for a terminal: redrawn in place with `\r`, at most ten times a second.
 *
 * @internal
 * @module
 */

/** A progress bar over a known total. */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number;
  #lastDraw = 0;
  #drawn = false;

  /**
   * @param stream - a TTY stream (stderr, so stdout stays clean for the summary)
   * @param total - the count that means 100%
   */
  constructor(stream: NodeJS.WriteStream, total: number) {
    this.#stream = stream;
    this.#total = total;
  }

  /** Redraws with `done` of the total at `fps` (throttled to 10 Hz). */
  update(done: number, fps: number): void {
    const now = performance.now();
    if (now - this.#lastDraw < 100 && done < this.#total) return;
    this.#lastDraw = now;
    const columns = Math.max(10, Math.min(40, (this.#stream.columns ?? 80) - 40));
    const fraction = Math.min(1, done / this.#total);
    const filled = Math.round(fraction * columns);
    const bar = '#'.repeat(filled) + '-'.repeat(columns - filled);
    this.#stream.write(`\r[${bar}] ${String(done).padStart(String(this.#total).length)}/${this.#total} frames ${fps.toFixed(0).padStart(4)} fps`);
    this.#drawn = true;
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }
}
