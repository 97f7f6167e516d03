/**
 * The one error type Geyser throws for anything beyond plain argument misuse.
 *
 * @module
 */

/**
 * Every `GeyserError.code`. The first seven are the seed API's variants; the rest name failures
 * the seed folded into `Other`, so callers can branch on them.
 */
export type GeyserErrorCode =
  | 'InvalidTextureHandle'
  | 'OperationNotSupported'
  | 'VulkanApiError'
  | 'VulkanInitializationError'
  | 'MetalApiError'
  | 'MetalInitializationError'
  | 'Other'
  | 'InvalidDescriptor'
  | 'FormatNotSupported'
  | 'DeviceMismatch'
  | 'Timeout'
  | 'Released'
  | 'ChannelClosed'
  | 'ProtocolError'
  | 'PeerRejected'
  | 'BackendUnavailable'
  | 'AddonNotFound'
  | 'PoolFlushing'
  | 'NodeFailed'
  | 'FfmpegNotFound'
  | 'FfmpegFailed';

/** Options for {@link GeyserError}. */
export interface GeyserErrorOptions {
  /** The error that caused this one, if any. */
  cause?: unknown;
  /** Machine-readable detail, such as the Vulkan `VkResult` name (`'VK_ERROR_OUT_OF_DEVICE_MEMORY'`). */
  detail?: string;
}

/**
 * An error from Geyser. `code` says what kind of failure it is; `message` names what was wrong.
 *
 * @example
 * ```ts
 * import { createTextureShareManager, GeyserError } from 'geyser';
 * const manager = await createTextureShareManager({ backend: 'host' });
 * try {
 *   manager.createShareableTexture({ width: 0, height: 16, format: 'rgba8unorm', usage: ['copy-src'] });
 * } catch (error) {
 *   if (error instanceof GeyserError && error.code === 'InvalidDescriptor') console.log(error.message);
 * }
 * ```
 */
export class GeyserError extends Error {
  /** What kind of failure this is. */
  readonly code: GeyserErrorCode;
  /** Machine-readable detail, such as a `VkResult` name or an errno name; `undefined` if none. */
  readonly detail: string | undefined;

  /**
   * @param code - the kind of failure
   * @param message - what was wrong, naming the field, object or handle at fault
   * @param options - the cause and detail
   */
  constructor(code: GeyserErrorCode, message: string, options: GeyserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GeyserError';
    this.code = code;
    this.detail = options.detail;
  }

  /**
   * Whether `error` is a `GeyserError`, optionally of the given code.
   *
   * @example
   * ```ts
   * if (GeyserError.is(error, 'Timeout')) retry();
   * ```
   */
  static is(error: unknown, code?: GeyserErrorCode): error is GeyserError {
    return error instanceof GeyserError && (code === undefined || error.code === code);
  }
}

/** Several errors raised together, for example by finalizers during teardown. */
export class GeyserAggregateError extends GeyserError {
  /** The errors, in the order they were raised. */
  readonly errors: readonly unknown[];

  /**
   * @param errors - the errors, in order
   * @param message - a summary
   * @example
   * ```ts
   * throw new GeyserAggregateError([first, second], '2 errors while tearing down the pipeline');
   * ```
   */
  constructor(errors: readonly unknown[], message: string) {
    super('Other', `${message}:\n${errors.map((e, i) => `  ${i + 1}) ${e instanceof Error ? e.message : String(e)}`).join('\n')}`);
    this.name = 'GeyserAggregateError';
    this.errors = errors;
  }
}
