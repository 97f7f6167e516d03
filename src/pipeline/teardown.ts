/**
 * An ordered list of finalizers that runs exactly once and loses no error (after RxJS
 * `Subscription` and `UnsubscriptionError`, and `DisposableStack`).
 *
 * @internal
 * @module
 */
import { GeyserAggregateError } from '../core/errors.js';

/** A finalizer: a function, or anything with `release()`/`dispose()`/`unsubscribe()`/`close()`. */
export type Teardown =
  | (() => void)
  | { release(): void }
  | { dispose(): void }
  | { unsubscribe(): void }
  | { close(): void };

function runOne(teardown: Teardown): void {
  if (typeof teardown === 'function') teardown();
  else if ('release' in teardown) teardown.release();
  else if ('dispose' in teardown) teardown.dispose();
  else if ('unsubscribe' in teardown) teardown.unsubscribe();
  else teardown.close();
}

/**
 * Finalizers registered as resources are acquired, run last-acquired-first (a resource may depend on
 * one acquired before it, never after), exactly once. Adding to a closed list runs the finalizer at
 * once, so a resource acquired after teardown (an `await` that resolved late) is never leaked.
 */
export class TeardownList {
  #finalizers: Teardown[] = [];
  #closed = false;
  /** Errors raised by finalizers added after close (they run at once). */
  #late: unknown[] = [];
  #onLateError: ((error: unknown) => void) | undefined;

  /** @param onLateError - receives an error thrown by a finalizer that ran after close */
  constructor(onLateError?: (error: unknown) => void) {
    this.#onLateError = onLateError;
  }

  /** True once {@link run} started. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Registers a finalizer; if the list already ran, runs it now. Returns the finalizer. */
  add<T extends Teardown>(teardown: T): T {
    if (!this.#closed) {
      this.#finalizers.push(teardown);
      return teardown;
    }
    try {
      runOne(teardown);
    } catch (error) {
      if (this.#onLateError) this.#onLateError(error);
      else this.#late.push(error);
    }
    return teardown;
  }

  /** Forgets a finalizer whose resource was freed on its own. */
  remove(teardown: Teardown): void {
    const index = this.#finalizers.lastIndexOf(teardown);
    if (index >= 0) this.#finalizers.splice(index, 1);
  }

  /**
   * Runs every finalizer, newest first, exactly once. Returns the errors they raised (empty if none);
   * a second call returns an empty array.
   */
  run(): unknown[] {
    if (this.#closed) return [];
    this.#closed = true;
    const errors: unknown[] = [...this.#late];
    const finalizers = this.#finalizers;
    this.#finalizers = [];
    for (let i = finalizers.length - 1; i >= 0; i--) {
      try {
        runOne(finalizers[i]!);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}

/** One error for a list of errors: undefined for none, the error itself for one, else an aggregate. */
export function combineErrors(all: readonly unknown[], what: string): unknown {
  // The same error can arrive by two routes (a node's error and its completion promise); keep one.
  const errors = [...new Set(all)];
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new GeyserAggregateError(errors, `${errors.length} errors ${what}`);
}
