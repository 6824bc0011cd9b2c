// Runs the layout off the webview's main thread: the bundled worker script (dist/webview/layoutWorker.js) is
// fetched and started from a blob, since a webview cannot start a worker from its resource origin. Only the
// newest request matters: a newer one supersedes what is still running.
import type { GraphViewModel } from '../../common/graphModel.ts';
import type { GraphLayout, LayoutOptions } from './layout.ts';

/** Webview -> layout worker. */
export interface LayoutRequest {
  id: number;
  model: GraphViewModel;
  options: LayoutOptions;
}

/** Layout worker -> webview. */
export type LayoutResponse = { id: number; layout: GraphLayout; ms: number } | { id: number; error: string } | { id: number; superseded: true };

export class LayoutClient {
  private worker: Promise<Worker> | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (l: GraphLayout | undefined) => void; reject: (e: Error) => void }>();
  /** Milliseconds the worker spent on the last layout. */
  lastMs = 0;

  constructor(private readonly workerUrl: string) {}

  private start(): Promise<Worker> {
    return (this.worker ??= (async () => {
      const response = await fetch(this.workerUrl);
      if (!response.ok) throw new Error(`the layout worker script could not be loaded (HTTP ${response.status})`);
      const blob = new Blob([await response.text()], { type: 'text/javascript' });
      const worker = new Worker(URL.createObjectURL(blob));
      worker.onmessage = (e: MessageEvent<LayoutResponse>) => {
        const p = this.pending.get(e.data.id);
        if (!p) return;
        this.pending.delete(e.data.id);
        if ('error' in e.data) p.reject(new Error(e.data.error));
        else if ('superseded' in e.data) p.resolve(undefined);
        else {
          this.lastMs = e.data.ms;
          p.resolve(e.data.layout);
        }
      };
      worker.onerror = (e) => {
        for (const p of this.pending.values()) p.reject(new Error(`the layout worker failed: ${e.message}`));
        this.pending.clear();
      };
      return worker;
    })());
  }

  /** Lays out a model in the worker; resolves to undefined when a newer request superseded this one. */
  async layout(model: GraphViewModel, options: LayoutOptions): Promise<GraphLayout | undefined> {
    const id = ++this.seq;
    const worker = await this.start();
    const result = new Promise<GraphLayout | undefined>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.postMessage({ id, model, options } satisfies LayoutRequest);
    const layout = await result;
    return id === this.seq ? layout : undefined;
  }
}
