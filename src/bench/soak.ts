export async function runSoak(_: unknown): Promise<{ machine: { id: string }; passed: boolean }> { throw new Error('todo'); }
export function renderSoak(_: unknown): string { return ''; }
