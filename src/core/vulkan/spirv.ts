/**
 * A structural check of SPIR-V words before they reach the driver (a malformed module can crash a
 * shader compiler instead of returning a VkResult), and the one fact dispatches need from it: which
 * descriptor bindings the shader declares. The check catches truncated and non-SPIR-V input; it is
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

/** What {@link inspectSpirv} learned. */
export interface SpirvFacts {
  /** Binding numbers of descriptor set 0, ascending. */
  readonly bindings: readonly number[];
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
  for (let at = 5; at < spirv.length; ) {
    const count = spirv[at]! >>> 16;
    const opcode = spirv[at]! & 0xffff;
    if (count === 0 || at + count > spirv.length) malformed(field, `the instruction at word ${at} has a bad length (${count})`);
    if (opcode === OP_ENTRY_POINT && count >= 4 && spirv[at + 1] === EXECUTION_MODEL_GL_COMPUTE) {
      if (literalString(spirv, at + 3, at + count) === 'main') computeMain = true;
    } else if (opcode === OP_DECORATE && count >= 4) {
      if (spirv[at + 2] === DECORATION_BINDING) bindingOf.set(spirv[at + 1]!, spirv[at + 3]!);
      if (spirv[at + 2] === DECORATION_DESCRIPTOR_SET) setOf.set(spirv[at + 1]!, spirv[at + 3]!);
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
  const bindings = new Set<number>();
  for (const [target, binding] of bindingOf) {
    const set = setOf.get(target) ?? 0;
    // Only set 0 is bound; a shader reading another set would read an unbound descriptor.
    if (set !== 0) throw new GeyserError('InvalidDescriptor', `${field} declares a binding in descriptor set ${set}; dispatches bind only set 0`);
    bindings.add(binding);
  }
  return { bindings: [...bindings].sort((a, b) => a - b) };
}
