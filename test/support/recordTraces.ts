// Records the real traces of test/fixtures/traces-real/python/graph.py (the pinned venv, scripts/traces-venv.sh)
// and of its TypeScript twin test/fixtures/traces-real/js/graph.ts (the pinned devDependencies): the OpenInference
// LangChain instrumentation exporting OTLP/HTTP to AgentGraph's own receiver on 127.0.0.1, and the debug stream. Used by the test (into a temporary folder, to check the committed recording
// against what the instrumentation emits today) and by scripts/record-traces.ts (into the fixture folder).
import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { OtlpReceiver } from '../../server/src/traces/receiver.ts';
import type { TraceSpan } from '../../server/src/traces/model.ts';

export const REAL_APP = resolve('test/fixtures/traces-real/python');
export const REAL_JS_APP = resolve('test/fixtures/traces-real/js');

export function tracesPython(): string {
  return execFileSync('bash', ['scripts/traces-venv.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim().split('\n').pop()!;
}

/** Runs the app's recorder into `outDir`; returns the spans AgentGraph's receiver got from the exporter. */
export async function recordRealTraces(outDir: string): Promise<TraceSpan[]> {
  const python = tracesPython();
  const received: TraceSpan[] = [];
  const receiver = new OtlpReceiver({ port: 0, onSpans: (spans) => received.push(...spans) });
  const port = await receiver.start();
  try {
    await new Promise<void>((done, fail) => {
      execFile(python, [resolve(REAL_APP, 'record.py'), outDir, `http://127.0.0.1:${port}/v1/traces`], { timeout: 120_000, env: { ...process.env, OTEL_SDK_DISABLED: 'false', PYTHONDONTWRITEBYTECODE: '1' } }, (err, _out, stderr) => (err ? fail(new Error(`record.py failed: ${err.message}\n${stderr}`)) : done()));
    });
  } finally {
    await receiver.stop();
  }
  return received;
}

/** The command that runs the TypeScript app's recorder against `endpoint` (the e2e test runs it too). */
export function jsRecorderArgs(endpoint: string, outDir: string, protocol: 'proto' | 'json' = 'proto'): string[] {
  return ['--import', 'tsx', resolve(REAL_JS_APP, 'record.ts'), '--endpoint', endpoint, '--out', outDir, '--protocol', protocol];
}

/** Runs the TypeScript app's recorder into `outDir`; returns the spans AgentGraph's receiver got from the exporter. */
export async function recordRealJsTraces(outDir: string, protocol: 'proto' | 'json' = 'proto'): Promise<TraceSpan[]> {
  const received: TraceSpan[] = [];
  const receiver = new OtlpReceiver({ port: 0, onSpans: (spans) => received.push(...spans) });
  const port = await receiver.start();
  try {
    await new Promise<void>((done, fail) => {
      execFile(process.execPath, jsRecorderArgs(`http://127.0.0.1:${port}/v1/traces`, outDir, protocol), { timeout: 120_000, env: { ...process.env, OTEL_SDK_DISABLED: 'false' } }, (err, _out, stderr) => (err ? fail(new Error(`record.ts failed: ${err.message}\n${stderr}`)) : done()));
    });
  } finally {
    await receiver.stop();
  }
  return received;
}
