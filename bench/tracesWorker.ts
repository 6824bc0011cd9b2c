// The receiving side of bench/traces.ts, in its own process as in the product (the language server): the trace
// hub with its OTLP receiver and the aggregator, one graph registered. It reports its counters, CPU time and
// memory on request, and forwards the figures at the hub's change rate when asked (what the overlay would get).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TraceHub } from '../server/src/traces/hub.ts';
import { graphContext } from '../server/src/traces/graphContext.ts';
import { Workspace } from '../server/src/analysis/workspace.ts';
import { pathToUri } from '../server/src/core/uris.ts';
import { diskHost } from '../server/src/node/diskHost.ts';

const graphPath = resolve('test/fixtures/traces/weather.agentgraph.yaml');
void readFileSync(graphPath);
const analysis = new Workspace(diskHost).analyze(pathToUri(graphPath));
const ctx = graphContext(analysis.uri, analysis.graph!, analysis.queries!);

let forward = false;
let changes = 0;
let figureMs: number[] = [];
const hub = new TraceHub({
  onChange: () => {
    changes++;
    if (!forward) return;
    const t = performance.now();
    const figures = hub.aggregate(ctx).figures;
    figureMs.push(performance.now() - t);
    process.send?.({ type: 'figures', figures });
  },
});
hub.setGraph(ctx);

process.on('message', async (m: { cmd: string; forward?: boolean }) => {
  if (m.cmd === 'start') {
    const s = await hub.startReceiver(0);
    process.send?.({ type: 'started', port: s.port, state: s.state, message: s.message });
  } else if (m.cmd === 'forward') {
    forward = !!m.forward;
    figureMs = [];
    changes = 0;
    process.send?.({ type: 'ok' });
  } else if (m.cmd === 'stats') {
    if (m.forward === undefined) global.gc?.();
    const mem = process.memoryUsage();
    process.send?.({
      type: 'stats',
      spans: hub.state.counters.spans,
      keptSpans: hub.state.spanCount,
      keptRuns: hub.state.runs.size,
      evicted: hub.state.counters.evictedRuns,
      dropped: hub.state.counters.droppedSpans,
      cpu: process.cpuUsage(),
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      changes,
      figureMs,
    });
  } else if (m.cmd === 'stop') {
    await hub.dispose();
    process.exit(0);
  }
});
process.send?.({ type: 'ready' });
