/**
 * The graph `pipeline()` builds from its stages: nodes with the process each runs in, and edges
 * with the sync primitive chosen for each.
 *
 * @module
 */
import type { Capabilities } from '../core/types.js';
import type { BackpressurePolicy } from './backpressure.js';
import { isNode, nodeSpec, type NodeKind, type NodeSpec } from './node.js';
import { chooseSync, type SyncOverride } from './sync-plan.js';
import type { SyncPrimitive } from './sync-point.js';

/** One node in {@link PipelineDescription}. */
export interface DescribedNode {
  /** `n0`, `n1`, ... in pipeline order. */
  id: string;
  name: string;
  kind: NodeKind | 'operator';
  /** `'parent'` or `'child:<k>'`: the process it runs in. */
  process: string;
}

/** One edge in {@link PipelineDescription}. */
export interface DescribedEdge {
  from: string;
  to: string;
  /** The sync primitive chosen for the edge. */
  primitive: SyncPrimitive;
  /** True when the primitive is a fallback for missing hardware support. */
  degraded: boolean;
  /** Why the primitive was chosen. */
  reason: string;
  /** True when the edge crosses a process boundary. */
  crossesProcess: boolean;
  /** Backpressure policy of the edge (the consumer's input policy). */
  policy: BackpressurePolicy;
}

/** What `run.describe()` returns. */
export interface PipelineDescription {
  backend: string;
  device: string;
  nodes: DescribedNode[];
  edges: DescribedEdge[];
}

/** A stage resolved to a node in the graph. @internal */
export interface PlannedNode extends DescribedNode {
  spec: NodeSpec | undefined;
  /** The stage value itself (a node or a plain RxJS operator/Observable). */
  stage: unknown;
  /** True for a stage of the pipeline itself (not inside a fan-out branch or fan-in input). */
  topLevel: boolean;
}

/** The graph and per-node placement. @internal */
export interface PipelinePlan {
  nodes: PlannedNode[];
  edges: DescribedEdge[];
}

/**
 * Lays out the stages (with fan-out branches and fan-in inputs), assigns processes and picks the
 * sync primitive of each edge.
 * @internal
 */
export function planPipeline(stages: readonly unknown[], caps: Capabilities, sync: SyncOverride = 'auto'): PipelinePlan {
  const nodes: PlannedNode[] = [];
  const edges: DescribedEdge[] = [];
  let childCount = 0;
  let depth = 0;
  const addNode = (stage: unknown): PlannedNode => {
    const spec = isNode(stage) ? nodeSpec(stage) : undefined;
    const process = spec?.kind === 'segment' ? `child:${childCount++}` : 'parent';
    const node: PlannedNode = {
      id: `n${nodes.length}`,
      name: spec?.name ?? (typeof stage === 'function' ? stage.name || 'operator' : 'observable'),
      kind: spec?.kind ?? 'operator',
      process,
      spec,
      stage,
      topLevel: depth === 0,
    };
    nodes.push(node);
    return node;
  };
  const connect = (from: PlannedNode, to: PlannedNode): void => {
    const choice = chooseSync(from.process, to.process, caps, sync);
    edges.push({ from: from.id, to: to.id, ...choice, crossesProcess: from.process !== to.process, policy: to.spec?.options.input.policy ?? 'block' });
  };
  /** Adds a chain of stages after `inputs`; returns the chain's last nodes (several after a fan-out). */
  const addChain = (chain: readonly unknown[], inputs: PlannedNode[]): PlannedNode[] => {
    let tails = inputs;
    for (const stage of chain) {
      const spec = isNode(stage) ? nodeSpec(stage) : undefined;
      if (spec?.kind === 'fan-in') {
        depth++;
        const branchTails = (spec.branches ?? []).flatMap((branch) => addChain(branch, []));
        depth--;
        const node = addNode(stage);
        for (const tail of [...tails, ...branchTails]) connect(tail, node);
        tails = [node];
        continue;
      }
      const node = addNode(stage);
      for (const tail of tails) connect(tail, node);
      tails = [node];
      if (spec?.kind === 'fan-out') {
        depth++;
        tails = (spec.branches ?? []).flatMap((branch) => addChain(branch, [node]));
        depth--;
      }
    }
    return tails;
  };
  addChain(stages, []);
  return { nodes, edges };
}

/** Renders a description as Graphviz DOT; degraded edges are dashed and red. @internal */
export function toDot(description: PipelineDescription): string {
  const lines = ['digraph geyser {', '  rankdir=LR;', `  label="${escape(`${description.backend}: ${description.device}`)}";`];
  const byProcess = new Map<string, DescribedNode[]>();
  for (const node of description.nodes) byProcess.set(node.process, [...(byProcess.get(node.process) ?? []), node]);
  let cluster = 0;
  for (const [process, nodes] of byProcess) {
    lines.push(`  subgraph cluster_${cluster++} {`, `    label="${escape(process)}";`);
    for (const node of nodes) lines.push(`    ${node.id} [label="${escape(`${node.name}\\n(${node.kind})`)}", shape=box];`);
    lines.push('  }');
  }
  for (const edge of description.edges) {
    const style = edge.degraded ? ', style=dashed, color=red' : '';
    lines.push(`  ${edge.from} -> ${edge.to} [label="${escape(edge.primitive)}"${style}, tooltip="${escape(edge.reason)}"];`);
  }
  lines.push('}');
  return lines.join('\n');
}

function escape(text: string): string {
  return text.replace(/"/g, '\\"');
}
