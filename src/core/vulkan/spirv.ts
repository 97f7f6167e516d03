/**
 * A structural check of SPIR-V words before they reach the driver (a malformed module can crash a
 * shader compiler instead of returning a VkResult), and the one fact dispatches need from it: which
 * descriptor bindings the shader declares, and of what kind (a storage image where the dispatch
 * binds a buffer is undefined behaviour that can crash the driver, not an error it reports). The check catches truncated and non-SPIR-V input; it is
 * not a validator: compile shaders with `glslangValidator -V` and run `spirv-val` on them (the
 * built-in ones are, by `npm run shaders`).
 *
 * @internal
 * @module
 */
import { GeyserError } from '../errors.js';
import { describeValue } from '../validate.js';

/** The SPIR-V magic number (first word of every module). */
export const SPIRV_MAGIC = 0x07230203;

const OP_ENTRY_POINT = 15;
const OP_DECORATE = 71;
const OP_FUNCTION = 54;
const OP_FUNCTION_END = 56;
const EXECUTION_MODEL_GL_COMPUTE = 5;
const DECORATION_BINDING = 33;
const DECORATION_DESCRIPTOR_SET = 34;
const DECORATION_BUFFER_BLOCK = 3;
const OP_TYPE_IMAGE = 25;
const OP_TYPE_STRUCT = 30;
const OP_TYPE_POINTER = 32;
const OP_VARIABLE = 59;
const STORAGE_CLASS_UNIFORM = 2;
const STORAGE_CLASS_STORAGE_BUFFER = 12;
/** OpTypeImage's Sampled operand for an image used without a sampler (a storage image). */
const IMAGE_STORAGE = 2;

/**
 * What a binding's variable is, as far as dispatches care: a storage image, a storage buffer, or
 * anything else (a sampled image, a uniform buffer), which a dispatch never binds.
 */
export type BindingKind = 'storage image' | 'storage buffer' | 'other';

/** What {@link inspectSpirv} learned. */
export interface SpirvFacts {
  /** Binding numbers of descriptor set 0, ascending. */
  readonly bindings: readonly number[];
  /** The kind of each of `bindings`' variables, in the same order. */
  readonly kinds: readonly BindingKind[];
}

function malformed(field: string, why: string): never {
  throw new GeyserError('InvalidDescriptor', `${field} is not a valid SPIR-V module: ${why}`);
}

/** Reads the nul-terminated literal string starting at word `start`. */
function literalString(words: Uint32Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    for (let shift = 0; shift < 32; shift += 8) {
      const byte = (words[i]! >>> shift) & 0xff;
      if (byte === 0) return text;
      text += String.fromCharCode(byte);
    }
  }
  return text;
}

/**
 * Checks the header and the instruction stream, requires a GLCompute entry point named `main`, and
 * returns the bindings of descriptor set 0.
 *
 * @param field - the name messages give the words (`spirv`, `passes[1].spirv`)
 * @throws {@link GeyserError} `InvalidDescriptor` naming `field` and what is wrong.
 */
export function inspectSpirv(spirv: unknown, field = 'spirv'): SpirvFacts {
  if (!(spirv instanceof Uint32Array)) {
    throw new GeyserError('InvalidDescriptor', `Expected a Uint32Array of SPIR-V words for ${field} but received ${describeValue(spirv)}`);
  }
  if (spirv.length < 5 || spirv[0] !== SPIRV_MAGIC) {
    const first = spirv.length === 0 ? 'no words' : `first word 0x${spirv[0]!.toString(16).padStart(8, '0')}`;
    malformed(field, `expected a 5-word header starting with the magic number 0x07230203 but received ${spirv.length} words, ${first}`);
  }
  let computeMain = false;
  let inFunction = false;
  let lastOpcode = -1;
  const bindingOf = new Map<number, number>();
  const setOf = new Map<number, number>();
  const storageImages = new Set<number>();
  const structs = new Set<number>();
  const bufferBlocks = new Set<number>();
  const pointers = new Map<number, { storageClass: number; pointee: number }>();
  const variableType = new Map<number, number>();
  for (let at = 5; at < spirv.length; ) {
    const count = spirv[at]! >>> 16;
    const opcode = spirv[at]! & 0xffff;
    if (count === 0 || at + count > spirv.length) malformed(field, `the instruction at word ${at} has a bad length (${count})`);
    if (opcode === OP_ENTRY_POINT && count >= 4 && spirv[at + 1] === EXECUTION_MODEL_GL_COMPUTE) {
      if (literalString(spirv, at + 3, at + count) === 'main') computeMain = true;
    } else if (opcode === OP_DECORATE && count >= 4) {
      if (spirv[at + 2] === DECORATION_BINDING) bindingOf.set(spirv[at + 1]!, spirv[at + 3]!);
      if (spirv[at + 2] === DECORATION_DESCRIPTOR_SET) setOf.set(spirv[at + 1]!, spirv[at + 3]!);
    } else if (opcode === OP_DECORATE && count === 3 && spirv[at + 2] === DECORATION_BUFFER_BLOCK) {
      bufferBlocks.add(spirv[at + 1]!);
    } else if (opcode === OP_TYPE_IMAGE && count >= 9) {
      if (spirv[at + 7] === IMAGE_STORAGE) storageImages.add(spirv[at + 1]!);
    } else if (opcode === OP_TYPE_STRUCT && count >= 2) {
      structs.add(spirv[at + 1]!);
    } else if (opcode === OP_TYPE_POINTER && count === 4) {
      pointers.set(spirv[at + 1]!, { storageClass: spirv[at + 2]!, pointee: spirv[at + 3]! });
    } else if (opcode === OP_VARIABLE && count >= 4) {
      variableType.set(spirv[at + 2]!, spirv[at + 1]!);
    }
    if (opcode === OP_FUNCTION) {
      if (inFunction) malformed(field, `OpFunction at word ${at} starts inside another function`);
      inFunction = true;
    } else if (opcode === OP_FUNCTION_END) {
      if (!inFunction) malformed(field, `OpFunctionEnd at word ${at} ends no function`);
      inFunction = false;
    }
    lastOpcode = opcode;
    at += count;
  }
  if (lastOpcode !== OP_FUNCTION_END) malformed(field, 'it does not end with OpFunctionEnd (truncated?)');
  if (!computeMain) malformed(field, 'it has no compute (GLCompute) entry point named main');
  const kindOf = (variable: number): BindingKind => {
    const pointer = pointers.get(variableType.get(variable) ?? -1);
    if (pointer === undefined) return 'other';
    if (storageImages.has(pointer.pointee)) return 'storage image';
    const buffer =
      structs.has(pointer.pointee) &&
      (pointer.storageClass === STORAGE_CLASS_STORAGE_BUFFER || (pointer.storageClass === STORAGE_CLASS_UNIFORM && bufferBlocks.has(pointer.pointee)));
    return buffer ? 'storage buffer' : 'other';
  };
  const kinds = new Map<number, BindingKind>();
  for (const [target, binding] of bindingOf) {
    const set = setOf.get(target) ?? 0;
    // Only set 0 is bound; a shader reading another set would read an unbound descriptor.
    if (set !== 0) throw new GeyserError('InvalidDescriptor', `${field} declares a binding in descriptor set ${set}; dispatches bind only set 0`);
    kinds.set(binding, kindOf(target));
  }
  const bindings = [...kinds.keys()].sort((a, b) => a - b);
  return { bindings, kinds: bindings.map((binding) => kinds.get(binding)!) };
}
