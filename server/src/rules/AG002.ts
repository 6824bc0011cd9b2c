// AG002: does every reference resolve? A target, model, tool, state key or subgraph file that names nothing is
// a crash waiting on one path: the run goes fine until it takes the misspelled route, falls back to the missing
// model or recovers to a node that is not there, and then fails in production, usually on the rare path that
// tests did not cover. Checked on every node, reachable or not: a broken target is often why a node is unreachable.
import { END, type GraphNode, type Range, type Transition } from '../core/ir.ts';
import { basename } from '../core/uris.ts';
import { didYouMean } from '../frontends/yaml/issues.ts';
import type { Rule } from './rule.ts';

export const AG002: Rule = {
  code: 'AG002',
  severity: 'error',
  title: 'Does every reference resolve: targets, entry, on_error, on_exhausted, models, tools, state keys, graph files?',
  check({ graph, report, subgraph }) {
    const ids = [...graph.nodes.keys()];
    const dym = (v: string, c: Iterable<string>) => didYouMean(v, [...c]);
    const missing = (range: Range, message: string, data: Record<string, unknown>) => report({ range, message, data });

    if (graph.entry && !graph.nodes.has(graph.entry.value)) {
      missing(graph.entry.range, `entry "${graph.entry.value}" is not a node${dym(graph.entry.value, ids)}: no run can start; name the first node of the graph`, { ref: 'entry', name: graph.entry.value });
    }
    if (graph.onError && graph.onError.value !== END && !graph.nodes.has(graph.onError.value)) {
      missing(graph.onError.range, `on_error of the graph names "${graph.onError.value}", which is not a node${dym(graph.onError.value, ids)}: every failure that a node does not recover itself crashes the run; name an existing node`, { ref: 'on_error', name: graph.onError.value });
    }

    const targets = [...ids, END];
    const seen = new Set<number>(); // inherited on_error edges share the range of the one `on_error` they come from
    const what: Record<Transition['kind'], (t: Transition) => string> = {
      next: (t) => `node "${t.from}" goes next to "${t.to}"`,
      fanout: (t) => `node "${t.from}" fans out to "${t.to}"`,
      route: (t) => `route "${t.label}" of node "${t.from}" leads to "${t.to}"`,
      error: (t) => (t.origin === 'defaults' ? `on_error in defaults names "${t.to}"` : `on_error of node "${t.from}" names "${t.to}"`),
      exhausted: (t) => `on_exhausted of node "${t.from}" names "${t.to}"`,
      command: (t) => `node "${t.from}" sends the run to "${t.to}" (Command)`,
    };
    const consequence: Record<Transition['kind'], string> = {
      next: 'the run fails when it gets there; name an existing node or END',
      fanout: 'the run fails when it gets there; name an existing node or END',
      route: 'the run fails whenever this route is chosen; name an existing node or END',
      error: 'a failure that should be recovered crashes the run instead; name an existing node',
      exhausted: 'the run crashes when the loop guard trips; name an existing node or END',
      command: 'the run fails when the node sends it there; name an existing node or END',
    };
    for (const node of graph.nodes.values()) {
      for (const t of node.out) {
        if (t.to === END || graph.nodes.has(t.to) || t.origin === 'graph' || seen.has(t.range.start)) continue;
        seen.add(t.range.start);
        missing(t.range, `${what[t.kind](t)}, which is not a node${dym(t.to, targets)}: ${consequence[t.kind]}`, { ref: t.kind, from: t.from, name: t.to, origin: t.origin });
      }
      checkNode(node);
    }

    for (const p of graph.policies) {
      for (const tool of p.tools) {
        if (graph.tools.has(tool)) continue;
        missing(p.range, `policy "${p.id ?? '?'}" covers tool "${tool}", which is not declared in tools${dym(tool, graph.tools.keys())}: the policy protects nothing; name a key of tools`, { ref: 'policy', name: tool });
      }
    }

    function checkNode(node: GraphNode): void {
      // Keys that do not apply to the node's kind are AG001's; only the ones the kind uses are resolved here.
      const callsModel = node.kind === 'llm' || node.kind === 'agent';
      const modelRefs = callsModel ? [[node.model, false], ...node.fallbackModels.map((f) => [f, true] as const)] as const : [];
      for (const [m, fallback] of modelRefs) {
        if (!m || graph.models.has(m.value)) continue;
        const role = fallback ? 'fallback model' : 'model';
        const breaks = fallback ? 'the fallback fails exactly when it is needed' : `the run fails at "${node.id}"`;
        missing(m.range, `${role} "${m.value}" of node "${node.id}" is not declared in models${dym(m.value, graph.models.keys())}: ${breaks}; declare it under models or fix the name`, { ref: role, node: node.id, name: m.value });
      }
      for (const t of node.kind === 'tool' && node.tool ? [node.tool] : node.kind === 'agent' ? node.tools : []) {
        if (graph.tools.has(t.value)) continue;
        missing(t.range, `tool "${t.value}" of node "${node.id}" is not declared in tools${dym(t.value, graph.tools.keys())}: the call fails at runtime and its timeout, effect and rate limit are unknown to the analysis; declare it under tools or fix the name`, { ref: 'tool', node: node.id, name: t.value });
      }
      // State keys are only checked against a `state` section the author chose to write.
      if (graph.keys.has('state')) {
        const uses = [
          ...node.reads.map((r) => ({ verb: 'reads', key: r.key, range: r.range, why: 'it reads nothing at runtime' })),
          ...node.writes.map((w) => ({ verb: 'writes', key: w.value, range: w.range, why: 'no node that reads the declared keys ever sees it' })),
          ...(node.kind === 'handoff' || node.kind === 'subgraph' ? (node.passes ?? []) : []).map((p) => ({ verb: 'passes', key: p.value, range: p.range, why: 'the receiver gets nothing under that name' })),
        ];
        for (const u of uses) {
          if (graph.state.has(u.key)) continue;
          missing(u.range, `node "${node.id}" ${u.verb} state key "${u.key}", which is not declared in state${dym(u.key, graph.state.keys())}: ${u.why}; declare it under state or fix the name`, { ref: 'state', node: node.id, name: u.key });
        }
      }
      if (node.kind === 'subgraph' && node.graph) {
        const info = subgraph(node);
        if (!info || info.status === 'ok') return;
        const file = node.graph.value;
        const message =
          info.status === 'cycle'
            ? `subgraph "${file}" of node "${node.id}" leads back to this file (${info.chain.map((u) => basename(u)).join(' -> ')}): a run would recurse forever; break the cycle`
            : info.status === 'missing'
              ? `subgraph file "${file}" of node "${node.id}" does not exist or cannot be read: the run fails when it reaches "${node.id}"; fix the path (relative to this file)`
              : `subgraph file "${file}" of node "${node.id}" is not a valid agent graph${/ \(line .*\)$/.exec(info.reason)?.[0] ?? ''}: the run fails when it reaches "${node.id}"; fix that file`;
        missing(node.graph.range, message, { ref: 'graph', node: node.id, name: file, status: info.status, ...(info.status === 'cycle' ? { chain: info.chain.map((u) => basename(u)) } : {}) });
      }
    }
  },
};
