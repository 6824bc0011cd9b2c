// Graph queries shared by the rules, the readiness check and the views. Each is computed once per graph, on
// first use. All of them follow failure and exhaustion transitions too (FORMAT.md: failure is a transition).
import { END, type AgentGraph, type GraphNode, type Transition } from './ir.ts';

export class GraphQueries {
  private readonly memo = new Map<string, unknown>();

  constructor(readonly graph: AgentGraph) {}

  private once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Outgoing transitions whose target is a node of this graph or END. */
  succ(id: string): readonly Transition[] {
    return this.once(`succ`, () => {
      const m = new Map<string, Transition[]>();
      for (const n of this.graph.nodes.values()) m.set(n.id, n.out.filter((t) => t.to === END || this.graph.nodes.has(t.to)));
      return m;
    }).get(id) ?? [];
  }

  /** Incoming transitions from nodes of this graph. */
  pred(id: string): readonly Transition[] {
    return this.once('pred', () => {
      const m = new Map<string, Transition[]>();
      for (const n of this.graph.nodes.values()) for (const t of this.succ(n.id)) if (t.to !== END) (m.get(t.to) ?? m.set(t.to, []).get(t.to)!).push(t);
      return m;
    }).get(id) ?? [];
  }

  /** Recovery targets: each node that an error transition leads to, with those transitions (AG101, AG104). */
  recoveryTargets(): ReadonlyMap<string, readonly Transition[]> {
    return this.once('recoveryTargets', () => {
      const m = new Map<string, Transition[]>();
      for (const n of this.graph.nodes.values()) for (const t of this.succ(n.id)) if (t.kind === 'error' && t.to !== END) (m.get(t.to) ?? m.set(t.to, []).get(t.to)!).push(t);
      return m;
    });
  }

  get entry(): GraphNode | undefined {
    const e = this.graph.entry?.value;
    return e === undefined ? undefined : this.graph.nodes.get(e);
  }

  /**
   * Nodes reachable from `entry`, in breadth-first order (entry first). A node whose targets are unknown
   * (`dynamic`, AG005) may lead to any node, as its framework assumes: once one is reached, every node is.
   */
  reachable(): ReadonlySet<string> {
    return this.once('reachable', () => {
      const seen = new Set<string>();
      const entry = this.entry;
      if (!entry) return seen;
      const queue = [entry.id];
      seen.add(entry.id);
      const all = [...this.graph.nodes.keys()].map((to) => ({ to }));
      for (let i = 0; i < queue.length; i++) {
        const dynamic = this.graph.nodes.get(queue[i])?.dynamic !== undefined;
        for (const t of dynamic ? [...this.succ(queue[i]), ...all] : this.succ(queue[i])) {
          if (t.to !== END && !seen.has(t.to)) {
            seen.add(t.to);
            queue.push(t.to);
          }
        }
      }
      return seen;
    });
  }

  /** Nodes from which END can be reached. */
  reachesEnd(): ReadonlySet<string> {
    return this.once('reachesEnd', () => {
      const seen = new Set<string>();
      const queue: string[] = [];
      for (const n of this.graph.nodes.values()) {
        if (n.out.some((t) => t.to === END)) {
          seen.add(n.id);
          queue.push(n.id);
        }
      }
      for (let i = 0; i < queue.length; i++) {
        for (const t of this.pred(queue[i])) {
          if (!seen.has(t.from)) {
            seen.add(t.from);
            queue.push(t.from);
          }
        }
      }
      return seen;
    });
  }

  /** Strongly connected components (Tarjan, iterative), in reverse topological order. */
  sccs(): readonly (readonly string[])[] {
    return this.once('sccs', () => {
      const index = new Map<string, number>();
      const low = new Map<string, number>();
      const onStack = new Set<string>();
      const stack: string[] = [];
      const result: string[][] = [];
      let counter = 0;
      for (const start of this.graph.nodes.keys()) {
        if (index.has(start)) continue;
        const work: { id: string; i: number }[] = [{ id: start, i: 0 }];
        index.set(start, counter);
        low.set(start, counter++);
        stack.push(start);
        onStack.add(start);
        while (work.length > 0) {
          const frame = work[work.length - 1];
          const out = this.succ(frame.id);
          if (frame.i < out.length) {
            const to = out[frame.i++].to;
            if (to === END) continue;
            if (!index.has(to)) {
              index.set(to, counter);
              low.set(to, counter++);
              stack.push(to);
              onStack.add(to);
              work.push({ id: to, i: 0 });
            } else if (onStack.has(to)) {
              low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
            }
          } else {
            work.pop();
            if (work.length > 0) {
              const parent = work[work.length - 1].id;
              low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
            }
            if (low.get(frame.id) === index.get(frame.id)) {
              const comp: string[] = [];
              let x: string;
              do {
                x = stack.pop()!;
                onStack.delete(x);
                comp.push(x);
              } while (x !== frame.id);
              result.push(comp.reverse());
            }
          }
        }
      }
      return result;
    });
  }

  /** The index into `sccs()` of each node. */
  sccIndex(): ReadonlyMap<string, number> {
    return this.once('sccIndex', () => {
      const m = new Map<string, number>();
      this.sccs().forEach((c, i) => c.forEach((id) => m.set(id, i)));
      return m;
    });
  }

  /** Loops: components of more than one node, or one node with a transition to itself. In source order. */
  loops(): readonly (readonly string[])[] {
    return this.once('loops', () => {
      const order = [...this.graph.nodes.keys()];
      const pos = new Map(order.map((id, i) => [id, i]));
      return this.sccs()
        .filter((c) => c.length > 1 || this.succ(c[0]).some((t) => t.to === c[0]))
        .map((c) => [...c].sort((a, b) => pos.get(a)! - pos.get(b)!))
        .sort((a, b) => pos.get(a[0])! - pos.get(b[0])!);
    });
  }

  /** The loop a node belongs to, if any. */
  loopOf(id: string): readonly string[] | undefined {
    return this.once('loopOf', () => {
      const m = new Map<string, readonly string[]>();
      for (const l of this.loops()) for (const n of l) m.set(n, l);
      return m;
    }).get(id);
  }

  /**
   * Loops that no `max_visits` bounds: the strongly connected sets left once every guarded node is removed.
   * A loop with a guard can still hold an unguarded inner cycle (a <-> b guarded at a, b <-> c not), and that
   * cycle runs without bound. In source order, each in source order.
   */
  unguardedLoops(): readonly (readonly string[])[] {
    return this.once('unguardedLoops', () => {
      const free = (id: string) => this.graph.nodes.get(id)?.maxVisits === undefined;
      const next = (id: string) => this.succ(id).filter((t) => t.to !== END && free(t.to)).map((t) => t.to);
      // Kosaraju: finishing order on the unguarded subgraph, then components on its transpose.
      const ids = [...this.graph.nodes.keys()].filter(free);
      const order: string[] = [];
      const seen = new Set<string>();
      for (const s of ids) {
        if (seen.has(s)) continue;
        seen.add(s);
        const work: { id: string; out: string[]; i: number }[] = [{ id: s, out: next(s), i: 0 }];
        while (work.length > 0) {
          const f = work[work.length - 1];
          if (f.i < f.out.length) {
            const to = f.out[f.i++];
            if (!seen.has(to)) {
              seen.add(to);
              work.push({ id: to, out: next(to), i: 0 });
            }
          } else {
            order.push(f.id);
            work.pop();
          }
        }
      }
      const prev = (id: string) => this.pred(id).filter((t) => free(t.from)).map((t) => t.from);
      const comp = new Map<string, number>();
      const comps: string[][] = [];
      for (const s of order.reverse()) {
        if (comp.has(s)) continue;
        const c = [s];
        comp.set(s, comps.length);
        for (let i = 0; i < c.length; i++) for (const p of prev(c[i])) if (!comp.has(p)) (comp.set(p, comps.length), c.push(p));
        comps.push(c);
      }
      const pos = new Map([...this.graph.nodes.keys()].map((id, i) => [id, i]));
      return comps
        .filter((c) => c.length > 1 || next(c[0]).includes(c[0]))
        .map((c) => c.sort((a, b) => pos.get(a)! - pos.get(b)!))
        .sort((a, b) => pos.get(a[0])! - pos.get(b[0])!);
    });
  }

  /**
   * Transitions that leave a set of nodes: to END, to a node outside it, or to a target that does not exist
   * (AG002 reports that one; it was meant as a way out). Failure and exhaustion transitions count.
   */
  exitsOf(loop: readonly string[]): Transition[] {
    const members = new Set(loop);
    return loop.flatMap((id) => this.graph.nodes.get(id)?.out.filter((t) => !members.has(t.to)) ?? []);
  }

  /** One cycle through the nodes of a loop, starting at its first node, for related information. */
  cyclePath(loop: readonly string[]): string[] {
    const members = new Set(loop);
    const start = loop[0];
    const parent = new Map<string, string>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const t of this.succ(queue[i])) {
        if (t.to === start) {
          const path = [queue[i]];
          while (path[0] !== start) path.unshift(parent.get(path[0])!);
          return path;
        }
        if (t.to !== END && members.has(t.to) && !parent.has(t.to) && t.to !== start) {
          parent.set(t.to, queue[i]);
          queue.push(t.to);
        }
      }
    }
    return [...loop];
  }

  /** The state keys a node's run produces for its successors along a transition. A failed node writes nothing. */
  private written(n: GraphNode, t: Transition): readonly string[] {
    return t.kind === 'error' || t.kind === 'exhausted' ? [] : n.writes.map((w) => w.value);
  }

  /** Keys guaranteed to be written on every path from `entry` to each reachable node (before it runs). */
  guaranteed(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.once('guaranteed', () => {
      const keys = new Map<string, number>();
      const add = (k: string) => keys.has(k) || keys.set(k, keys.size);
      for (const k of this.graph.state.keys()) add(k);
      for (const n of this.graph.nodes.values()) {
        n.writes.forEach((w) => add(w.value));
        n.reads.forEach((r) => add(r.key));
        n.passes?.forEach((p) => add(p.value));
      }
      const words = Math.max(1, Math.ceil(keys.size / 32));
      const reach = this.reachable();
      const inSets = new Map<string, Uint32Array>();
      const full = new Uint32Array(words).fill(0xffffffff);
      for (const id of reach) inSets.set(id, full.slice());
      const entry = this.entry;
      const result = new Map<string, ReadonlySet<string>>();
      if (!entry) return result;
      const entryIn = new Uint32Array(words);
      for (const s of this.graph.state.values()) if (s.input) entryIn[keys.get(s.name)! >> 5] |= 1 << (keys.get(s.name)! & 31);
      inSets.set(entry.id, entryIn);
      const writeMask = new Map<string, Uint32Array>();
      for (const id of reach) {
        const node = this.graph.nodes.get(id)!;
        // A node whose writes cannot be known may write any key: nothing after it is reported missing.
        const m = node.unknownWrites ? full.slice() : new Uint32Array(words);
        for (const w of node.writes) m[keys.get(w.value)! >> 5] |= 1 << (keys.get(w.value)! & 31);
        writeMask.set(id, m);
      }
      // Forward must-analysis: IN(v) = intersection over incoming edges of what the edge carries. Entry keeps
      // its inputs (a loop back to entry cannot add guarantees that the first visit lacks).
      const joins = new Map<string, string[]>();
      for (const n of this.graph.nodes.values()) for (const t of n.out) if (t.join) (joins.get(t.join) ?? joins.set(t.join, []).get(t.join)!).push(n.id);
      const queue = [...reach];
      const queued = new Set(queue);
      const tmp = new Uint32Array(words);
      for (let head = 0; head < queue.length; head++) {
        const id = queue[head];
        queued.delete(id);
        const n = this.graph.nodes.get(id)!;
        const inSet = inSets.get(id)!;
        for (const t of this.succ(id)) {
          if (t.to === END || !reach.has(t.to)) continue;
          const carriesWrites = t.kind !== 'error' && t.kind !== 'exhausted' && (n.writes.length > 0 || n.unknownWrites === true);
          const wm = writeMask.get(id)!;
          for (let w = 0; w < words; w++) tmp[w] = carriesWrites ? inSet[w] | wm[w] : inSet[w];
          // A join carries the union of what all its sources carry: the target runs after every one of them.
          if (t.join) {
            for (const other of joins.get(t.join) ?? []) {
              if (other === id || !reach.has(other)) continue;
              const oi = inSets.get(other)!;
              const om = writeMask.get(other)!;
              for (let w = 0; w < words; w++) tmp[w] |= oi[w] | om[w];
            }
          }
          const target = inSets.get(t.to)!;
          let changed = false;
          for (let w = 0; w < words; w++) {
            // `>>> 0`: bitwise results are signed, the array holds unsigned words; without it bit 31 never compares equal.
            const next = (target[w] & tmp[w]) >>> 0;
            if (t.to === entry.id) continue;
            if (next !== target[w]) {
              target[w] = next;
              changed = true;
            }
          }
          if (changed && !queued.has(t.to)) {
            queued.add(t.to);
            queue.push(t.to);
          }
        }
      }
      const names = [...keys.keys()];
      for (const [id, set] of inSets) {
        const s = new Set<string>();
        for (let i = 0; i < names.length; i++) if (set[i >> 5] & (1 << (i & 31))) s.add(names[i]);
        result.set(id, s);
      }
      return result;
    });
  }

  /** A path from `entry` to `target` on which no node writes `key` (undefined when every path writes it). */
  pathWithout(key: string, target: string): string[] | undefined {
    const parent = this.missesKey(key);
    if (!parent.has(target)) return undefined;
    const path = [target];
    while (parent.get(path[0])) path.unshift(parent.get(path[0])!);
    return path;
  }

  /**
   * Breadth-first tree from `entry` over the transitions that do not carry a write of `key`: the nodes that
   * some path reaches without the key, each with its parent on a shortest such path. One walk per key.
   */
  private missesKey(key: string): ReadonlyMap<string, string> {
    const trees = this.once('missesKey', () => new Map<string, Map<string, string>>());
    const cached = trees.get(key);
    if (cached) return cached;
    const parent = new Map<string, string>();
    trees.set(key, parent);
    const entry = this.entry;
    if (!entry || this.graph.state.get(key)?.input) return parent;
    parent.set(entry.id, '');
    const queue = [entry.id];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      const n = this.graph.nodes.get(id)!;
      for (const t of this.succ(id)) {
        if (t.to === END || parent.has(t.to)) continue;
        if (this.written(n, t).includes(key)) continue;
        parent.set(t.to, id);
        queue.push(t.to);
      }
    }
    return parent;
  }

  /** Data classes each state key may carry: declared on the key, then flowing to every key written by a node that reads it. */
  dataClasses(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.once('dataClasses', () => {
      const classes = new Map<string, Set<string>>();
      for (const s of this.graph.state.values()) classes.set(s.name, new Set(s.data));
      let changed = true;
      while (changed) {
        changed = false;
        for (const n of this.graph.nodes.values()) {
          const incoming = new Set<string>();
          for (const r of n.reads) for (const c of classes.get(r.key) ?? []) incoming.add(c);
          if (incoming.size === 0) continue;
          for (const w of n.writes) {
            const set = classes.get(w.value) ?? classes.set(w.value, new Set()).get(w.value)!;
            for (const c of incoming) {
              if (!set.has(c)) {
                set.add(c);
                changed = true;
              }
            }
          }
        }
      }
      return classes;
    });
  }

  /** The data classes reaching a node through the keys it reads, with the key that carries each. */
  classesAt(id: string): ReadonlyMap<string, string> {
    const n = this.graph.nodes.get(id);
    const out = new Map<string, string>();
    if (!n) return out;
    const classes = this.dataClasses();
    for (const r of n.reads) for (const c of classes.get(r.key) ?? []) if (!out.has(c)) out.set(c, r.key);
    return out;
  }
}
