// `agentgraph traces FILE --graph GRAPH [--format text|json]`: the per-node figures and the conformance
// findings; exit 1 with findings, 0 without, 2 on a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main.ts';
import { DEBUG, OPENINFERENCE, SEMCONV, SEMCONV_GRAPH, WEATHER_GRAPH } from './helpers.ts';

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(['traces', ...argv], (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

test('text: the per-node table, the transitions, no finding, exit 0', () => {
  const r = run(DEBUG, '--graph', WEATHER_GRAPH, '--no-color');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /langgraph-debug-stream\.jsonl: LangGraph debug stream, 6 spans/);
  assert.match(r.stdout, /^agent\s+3\s+3\s+0\s+0\s+1430\s+140\s/m);
  assert.match(r.stdout, /^tools\s+2\s+2\s+0\s+1\s+0\s+0\s/m);
  assert.match(r.stdout, /agent -> tools\s+2/);
  assert.match(r.stdout, /0 conformance findings/);
});

test('json: the figures and the findings', () => {
  const r = run(OPENINFERENCE, '--graph', WEATHER_GRAPH, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.figures.nodes.tools.attempts, 2);
  assert.equal(out.figures.nodes.tools.errors, 1);
  assert.equal(out.figures.nodes.agent.tokensIn, 942);
  assert.deepEqual(out.findings, []);
  assert.equal(out.files[0].format, 'otlp-json');
});

test('findings: exit 1, printed like `agentgraph check`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-cli-'));
  try {
    const graph = join(dir, 'weather.agentgraph.yaml');
    writeFileSync(graph, readFileSync(WEATHER_GRAPH, 'utf8').replace('max_visits: 4', 'max_visits: 2'));
    const r = run(DEBUG, '--graph', graph, '--no-color');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /weather\.agentgraph\.yaml:\d+:5: warning a run visited "agent" 3 times, past its max_visits of 2.* \[AG802\]/);
    assert.match(r.stdout, /1 conformance finding, 0 errors, 1 warning, 0 info/);
    const json = JSON.parse(run(DEBUG, '--graph', graph, '--format', 'json').stdout);
    assert.equal(json.findings[0].code, 'AG802');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('several files at once; names the graph lacks are listed', () => {
  const r = run(DEBUG, OPENINFERENCE, '--graph', WEATHER_GRAPH, '--no-color');
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /2 runs on this graph, 19 spans/);
  assert.match(r.stdout, /^agent\s+5\s+5\s/m);
  const mismatch = run(SEMCONV, '--graph', WEATHER_GRAPH, '--no-color');
  assert.match(mismatch.stdout, /names in spans that are no node of the graph: get_weather \(2\), WeatherAgent \(1\)/);
});

test('usage errors: exit 2 with the way out', () => {
  assert.equal(run(DEBUG).code, 2);
  assert.match(run(DEBUG).stderr, /--graph/);
  assert.equal(run('--graph', WEATHER_GRAPH).code, 2);
  assert.equal(run(DEBUG, '--graph', WEATHER_GRAPH, '--format', 'xml').code, 2);
  assert.equal(run(DEBUG, '--graph', 'nope.agentgraph.yaml').code, 2);
  const missing = run('no-such-trace.json', '--graph', WEATHER_GRAPH);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-trace\.json: cannot be read \(ENOENT\)/);
  assert.equal(run(DEBUG, '--graph', WEATHER_GRAPH, '--min-runs', '0').code, 2);
});
