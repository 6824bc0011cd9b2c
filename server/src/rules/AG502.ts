// AG502: state loss. A node that reads a key, or a handoff or subgraph that passes one, assumes it is there. When
// some path to the node skips the writer (a route that bypasses it, or a failure: a failed node writes nothing
// and its on_error path goes on without it), the node runs on missing state only on that path: the demo works,
// and the one run in a hundred that took the other branch crashes or answers from nothing.
// Only reachable nodes are checked (the others are AG003's); a key that a graph with a `state` section does not
// declare is AG002's.
import type { RelatedInfo } from '../core/diagnostic.ts';
import type { GraphNode, Ref, Transition } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import type { Rule } from './rule.ts';
import { wording } from './fixWording.ts';

/** The transition the path takes from each of its nodes to the next: one that carries no write of `key`. */
function steps(q: GraphQueries, path: readonly string[], key: string): Transition[] {
  return path.slice(0, -1).map((id, i) => {
    const writes = q.graph.nodes.get(id)!.writes.some((w) => w.value === key);
    return q.succ(id).find((t) => t.to === path[i + 1] && (!writes || t.kind === 'error' || t.kind === 'exhausted'))!;
  });
}

/** `a -> b (fails) -> c`: the path as text, saying where a failure or a tripped loop guard takes it. */
function pathText(path: readonly string[], ts: readonly Transition[]): string {
  const note = (t?: Transition) => (t?.kind === 'error' ? ' (fails)' : t?.kind === 'exhausted' ? ' (max_visits reached)' : '');
  return path.map((id, i) => id + note(ts[i])).join(' -> ');
}

/** One related entry per node on the path, saying how the run passes it without `key`. */
function explainPath(q: GraphQueries, path: readonly string[], ts: readonly Transition[], key: string): RelatedInfo[] {
  return path.map((id, i) => {
    const range = q.graph.nodes.get(id)!.range;
    const t = ts[i];
    if (!t) return { message: `"${id}" is reached without "${key}"`, range };
    const message =
      t.kind === 'error' ? `"${id}" fails before writing "${key}" and recovers to "${t.to}"`
      : t.kind === 'exhausted' ? `"${id}" hits max_visits and goes to "${t.to}" without writing "${key}"`
      : `"${id}" does not write "${key}" and goes to "${t.to}"${t.label ? ` (route "${t.label}")` : ''}`;
    return { message, range };
  });
}

export const AG502: Rule = {
  code: 'AG502',
  severity: 'warning',
  title: 'Does a node read, or a handoff pass, a key that is not guaranteed on every path to it?',
  check({ graph, q, report }) {
    const guaranteed = q.guaranteed();
    const writtenAnywhere = new Set([...graph.nodes.values()].flatMap((n) => n.writes.map((w) => w.value)));
    const agOwns = (key: string) => graph.keys.has('state') && !graph.state.has(key);
    const check = (node: GraphNode, key: string, at: Ref | { range: Ref['range'] }, verb: 'reads' | 'passes') => {
      if (guaranteed.get(node.id)?.has(key) || agOwns(key)) return;
      const path = q.pathWithout(key, node.id) ?? [node.id];
      const ts = steps(q, path, key);
      const who = verb === 'reads' ? `node "${node.id}"` : `${node.kind} node "${node.id}"`;
      const effect = verb === 'reads' ? 'the node runs without it and fails or guesses' : 'the receiver gets no value for it';
      const optionalRead = wording(graph, `read it as "${key}?"`, (rt) => (rt.language === 'python' ? `read it with state.get("${key}")` : `read it as optional`));
      const fix = verb === 'reads' ? `write it on every path, or ${optionalRead} if the node copes without it` : 'write it on every path, or stop passing it';
      const nowhere = wording(graph, 'write it in an earlier node or declare it input: true', () => 'make sure the caller passes it, or write it in an earlier node');
      const message = writtenAnywhere.has(key)
        ? `${who} ${verb} "${key}", which is not written on every path to it: on the path ${pathText(path, ts)} ${effect}; ${fix}`
        : `${who} ${verb} "${key}", which no node writes and is not an input: ${effect} on every run; ${nowhere}`;
      report({ range: at.range, message, related: explainPath(q, path, ts, key), data: { node: node.id, key, path } });
    };
    for (const id of q.reachable()) {
      const node = graph.nodes.get(id)!;
      for (const r of node.reads) if (!r.optional) check(node, r.key, r, 'reads');
      if (node.kind === 'handoff' || node.kind === 'subgraph') for (const p of node.passes ?? []) check(node, p.value, p, 'passes');
    }
  },
};
