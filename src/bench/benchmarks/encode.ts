import type { Benchmark } from '../types.js';
const bench: Benchmark = { name: 'encode', description: 'todo', async run() { throw new Error('not written yet'); } };
export default bench;
