// The layout worker (dist/webview/layoutWorker.js): elkjs and the pure layout function, off the webview's main
// thread, so that laying out a large graph never freezes the panel.
import ELK from 'elkjs/lib/elk.bundled.js';
import { layoutGraph } from './layout.ts';
import type { LayoutRequest, LayoutResponse } from './layoutClient.ts';

interface WorkerScope {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
}

const scope = self as unknown as WorkerScope;
const elk = new ELK();

let latest = 0;

// elkjs installs its own message handler when it is loaded in a worker; this one replaces it. A request that a
// newer one has overtaken while it waited is answered at once, unlaid.
scope.onmessage = (e) => {
  const { id, model, options } = e.data;
  latest = Math.max(latest, id);
  setTimeout(() => {
    if (id !== latest) return scope.postMessage({ id, superseded: true });
    const start = performance.now();
    layoutGraph(model, options, elk).then(
      (layout) => scope.postMessage({ id, layout, ms: performance.now() - start }),
      (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
    );
  }, 0);
};
