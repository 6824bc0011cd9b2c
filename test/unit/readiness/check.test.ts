// The readiness check's decisions, one at a time: the examples' verdicts, what "recovers without a person"
// means, suppressions, severity settings, node names in spans, and trace measurements joining the evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderText, toJson } from '../../../server/src/readiness/render.ts';
import { checkReadiness, recoveryOf, verdictOf, traceMeasurementsSchema, unnameableReason, type ReadinessReport, type TraceMeasurements } from '../../../server/src/readiness/check.ts';
import { Workspace } from '../../../server/src/analysis/workspace.ts';
import { pathToUri } from '../../../server/src/core/uris.ts';
import { diskHost } from '../../../server/src/node/diskHost.ts';
import { lintFile, lintText } from '../../support/lint.ts';

const failed = (r: ReadinessReport) => r.checkpoints.filter((c) => !c.passed).map((c) => c.id);
const checkpoint = (r: ReadinessReport, id: number) => r.checkpoints.find((c) => c.id === id)!;

test('the examples: support-triage and kyc are ready, research-agent and onboarding are not', () => {
  const triage = checkReadiness(lintFile('examples/support-triage.agentgraph.yaml'));
  assert.equal(triage.verdict, 'ready');
  assert.deepEqual(triage.recovery, { canFail: 6, autonomous: 5 });
  assert.equal(triage.firstFix, undefined);

  const research = checkReadiness(lintFile('examples/research-agent.agentgraph.yaml'));
  assert.equal(research.verdict, 'not-ready');
  assert.deepEqual(failed(research), [1, 2, 3, 5]);
  // The unbounded loop is what to fix first: a run that never ends is worse than a missing dashboard.
  assert.match(research.firstFix!.text, /add max_visits and on_exhausted to "critique"/);

  assert.equal(checkReadiness(lintFile('examples/handoff/kyc.agentgraph.yaml')).verdict, 'ready');
  assert.deepEqual(failed(checkReadiness(lintFile('examples/handoff/onboarding.agentgraph.yaml'))), [4, 5]);
});

// --- Error-level findings ----------------------------------------------------------------------------------------

const TRIAGE_TEXT = readFileSync('examples/support-triage.agentgraph.yaml', 'utf8');
const edited = (from: string, to: string) => {
  assert.ok(TRIAGE_TEXT.includes(from), from);
  return checkReadiness(lintText(TRIAGE_TEXT.replace(from, to), resolve('examples/edited.agentgraph.yaml')));
};

test('a graph with an error-level finding is never ready: a dead end (AG004) fails checkpoint 5', () => {
  const r = edited('    next: END\n\n  escalate:', '\n  escalate:');
  assert.equal(r.verdict, 'not-ready');
  assert.deepEqual(failed(r), [5]);
  assert.ok(checkpoint(r, 5).evidence.some((e) => e.code === 'AG004' && e.kind === 'fail' && e.node === 'refund'));
});

test('an agent without max_iterations (AG205) makes the worst case unbounded: checkpoint 3 fails', () => {
  const r = edited('  draft:\n    kind: llm', '  draft:\n    kind: agent');
  assert.equal(r.verdict, 'not-ready');
  assert.deepEqual(failed(r), [3]);
  const fails = checkpoint(r, 3).evidence.filter((e) => e.kind === 'fail');
  assert.ok(fails.some((e) => e.code === 'AG205'));
  assert.ok(fails.some((e) => /cannot be compared with the budget: "draft" may run without bound/.test(e.message)));
  assert.match(r.firstFix!.text, /max_iterations/);
});

test('every rule whose default severity is error is run by the check', () => {
  // A dead end and an agent without max_iterations at once, plus an unbounded loop: each error rule shows up.
  const text = TRIAGE_TEXT.replace('    next: END\n\n  escalate:', '\n  escalate:').replace('  draft:\n    kind: llm', '  draft:\n    kind: agent').replace('    max_visits: 3           # loop guard for the draft <-> review cycle\n    on_exhausted: escalate\n', '').replace('  steps: 30\n', '');
  const r = checkReadiness(lintText(text, resolve('examples/edited.agentgraph.yaml')));
  const found = new Set([...r.blockers, ...r.checkpoints.flatMap((c) => c.evidence)].filter((e) => e.kind === 'fail').map((e) => e.code));
  for (const code of ['AG004', 'AG201', 'AG205']) assert.ok(found.has(code), code);
});

// --- One verdict, in the same words everywhere ----------------------------------------------------------------

test('a file with errors is "not ready (the file has errors)" in every form, though its checkpoints pass', () => {
  const r = edited('    kind: llm\n', '    kind: llm\n    colour: red\n');
  assert.deepEqual(failed(r), []);
  assert.equal(r.verdict, 'not-ready');
  assert.deepEqual(r.summary, { detail: 'the file has errors', line: 'not ready (the file has errors)', short: 'Not ready: errors', sentence: 'is not ready for production: the file has errors' });
  const lines = lintText(TRIAGE_TEXT).lines;
  assert.match(renderText([{ report: r, file: 'f.agentgraph.yaml', lines }], { color: false }), /^support-triage \(f\.agentgraph\.yaml\): NOT READY, the file has errors$/m);
  assert.equal(toJson([{ report: r, file: 'f.agentgraph.yaml', lines }]).graphs[0].summary, 'not ready (the file has errors)');
});

test('the verdict in words: ready, failing checkpoints, errors', () => {
  const cps = (...fail: number[]) => ([1, 2, 3, 4, 5] as const).map((id) => ({ id, passed: !fail.includes(id) }));
  assert.deepEqual(verdictOf([], cps()), { verdict: 'ready', summary: { detail: '5 of 5 checkpoints pass', line: 'ready', short: 'Ready', sentence: 'is ready for production: all five checkpoints pass' } });
  assert.deepEqual(verdictOf([], cps(3, 5)).summary, { detail: '3 of 5 checkpoints pass', line: 'not ready (checkpoints 3, 5 fail)', short: 'Not ready: 3/5', sentence: 'is not ready for production: 3 of 5 checkpoints pass (checkpoints 3, 5 fail)' });
  assert.equal(verdictOf([], cps(2)).summary.line, 'not ready (checkpoint 2 fails)');
  assert.equal(verdictOf([{}], cps()).summary.short, 'Not ready: errors');
});

// --- Checkpoint 5: what "recovers without a person" means --------------------------------------------------------

const graph = (nodes: string, extra = '') => `agentgraph: 1
name: g
entry: a
${extra}nodes:
${nodes}`;

function autonomy(text: string): Record<string, boolean> {
  const a = lintText(text);
  return Object.fromEntries(recoveryOf(a.graph!, a.queries!).map((r) => [r.node.id, r.autonomous]));
}

const recoveryCases: [string, string, Record<string, boolean>][] = [
  ['an on_error path that ends at END through local code recovers',
    `  a: { kind: llm, model: m, next: END, on_error: sorry }\n  sorry: { kind: function, next: END }\n`, { a: true }],
  ['an on_error target that is a human node does not',
    `  a: { kind: llm, model: m, next: END, on_error: person }\n  person: { kind: human, next: END }\n`, { a: false }],
  ['an on_error path that leads on to a handoff does not',
    `  a: { kind: tool, tool: t, next: END, on_error: b }\n  b: { kind: function, next: h }\n  h: { kind: handoff, to: team, passes: [], next: END }\n`, { a: false, h: false }],
  ['an on_error path where one route reaches a person does not ("does not end in": on any way it continues)',
    `  a: { kind: tool, tool: t, next: END, on_error: triage }\n  triage: { kind: router, routes: { retry: a2, give_up: person } }\n  a2: { kind: function, next: END }\n  person: { kind: human, next: END }\n`, { a: false }],
  ['a failure of the recovery node itself does not count: its own on_error to a person is a further failure',
    `  a: { kind: tool, tool: t, next: END, on_error: b }\n  b: { kind: llm, model: m, next: END, on_error: person }\n  person: { kind: human, next: END }\n`, { a: true, b: false }],
  ['retries alone do not recover: after them, a persistent failure crashes the run',
    `  a: { kind: tool, tool: t, next: END, retry: { attempts: 2 } }\n`, { a: false }],
  ['retries then an on_error to a person do not: the persistent failures still wait for someone',
    `  a: { kind: llm, model: m, next: END, retry: { attempts: 3 }, on_error: person }\n  person: { kind: handoff, to: team, passes: [], next: END, on_error: END }\n`, { a: false, person: true }],
  ['retries then an on_error that needs nobody recover',
    `  a: { kind: tool, tool: t, next: END, retry: { attempts: 3 }, on_error: sorry }\n  sorry: { kind: function, next: END }\n`, { a: true }],
  ['on_error: END recovers: the run ends without a person',
    `  a: { kind: tool, tool: t, next: END, on_error: END }\n`, { a: true }],
  ['a single attempt is no retry',
    `  a: { kind: tool, tool: t, next: END, retry: { attempts: 1 } }\n`, { a: false }],
  ['retry: none is no retry',
    `  a: { kind: tool, tool: t, next: END, retry: none }\n`, { a: false }],
  ['fallback models alone recover',
    `  a: { kind: llm, model: m, fallback_models: [m2], next: END }\n`, { a: true }],
  ['nodes that cannot fail, and unreachable ones, are not counted',
    `  a: { kind: function, next: END }\n  lost: { kind: llm, model: m, next: END }\n`, {}],
];
for (const [name, nodes, expected] of recoveryCases) {
  test(`checkpoint 5: ${name}`, () => {
    const text = graph(nodes, 'models:\n  m: { provider: x, model: y }\n  m2: { provider: x, model: z }\ntools:\n  t: { effect: read }\n');
    assert.deepEqual(autonomy(text), expected);
  });
}

test('checkpoint 5: failures handled in the node\'s own code recover (LangGraph: except Exception, not re-raised)', () => {
  const a = lintFile('test/fixtures/rules/AG101/py-recovered.py');
  const r = recoveryOf(a.graph!, a.queries!).map((x) => [x.node.id, x.autonomous, x.why]);
  assert.deepEqual(r, [
    ['classify', true, 'its own code handles its failures'],
    ['summarize', true, 'after its 3 attempts, on_error "canned_summary" goes on without a person'],
  ]);
});

test('checkpoint 5 passes at exactly 80% and fails just below', () => {
  // Five tools in a row, all retrying; a failure goes to a person, or (some of them) to a canned answer.
  const chain = (degrading: number) =>
    graph(
      [0, 1, 2, 3, 4].map((i) => `  ${i === 0 ? 'a' : `n${i}`}: { kind: tool, tool: t, retry: { attempts: 3 }, ${i < degrading ? 'on_error: canned, ' : ''}next: ${i < 4 ? `n${i + 1}` : 'END'} }\n`).join('') +
        '  person: { kind: human, next: END }\n  canned: { kind: function, next: END }\n',
      'tools:\n  t: { effect: read, timeout_s: 5, rate_limit: 1/s }\non_error: person\n',
    );
  const at80 = checkReadiness(lintText(chain(4)));
  assert.deepEqual(at80.recovery, { canFail: 5, autonomous: 4 });
  assert.equal(checkpoint(at80, 5).passed, true);
  assert.match(checkpoint(at80, 5).evidence.find((e) => e.kind === 'info')!.message, /^4 of 5 nodes that can fail \(80%\) recover without a person, at least 80%$/);
  const at60 = checkReadiness(lintText(chain(3)));
  assert.deepEqual(at60.recovery, { canFail: 5, autonomous: 3 });
  assert.equal(checkpoint(at60, 5).passed, false);
  assert.match(checkpoint(at60, 5).evidence[0].message, /^3 of 5 nodes that can fail \(60%\) recover without a person, below 80%/);
});

// --- Suppressions and settings ----------------------------------------------------------------------------------

test('a finding suppressed with a reason is listed as accepted and does not fail its checkpoint', () => {
  const r = checkReadiness(lintFile('test/fixtures/readiness/ready-accepted-risk.agentgraph.yaml'));
  const accepted = checkpoint(r, 4).evidence.find((e) => e.kind === 'accepted')!;
  assert.equal(accepted.code, 'AG401');
  assert.equal(accepted.reason, 'answers are append-only and reviewed daily');
  assert.equal(r.verdict, 'ready');
});

test('a rule turned off in the settings still counts: the bar does not move with the editor', () => {
  const uri = pathToUri(resolve('test/fixtures/readiness/fails-4-unapproved-write.agentgraph.yaml'));
  const ws = new Workspace(diskHost);
  ws.severities = () => [{ AG401: 'off' }];
  const analysis = ws.analyze(uri);
  assert.equal(analysis.diagnostics.some((d) => d.code === 'AG401'), false);
  const r = checkReadiness(analysis);
  assert.deepEqual(failed(r), [4]);
  const e = checkpoint(r, 4).evidence[0];
  // The evidence points at the tool the node calls.
  assert.equal(analysis.text.slice(e.range.start, e.range.end), 'save_answer');
  assert.equal(e.node, 'record');
});

test('a file that is not a graph is not ready, with the reason, and never throws', () => {
  for (const text of ['', '\u0000\u0001binary', '- just\n- a list\n', 'agentgraph: 1\nname: [broken\n']) {
    const r = checkReadiness(lintText(text));
    assert.equal(r.verdict, 'not-ready');
    assert.ok(r.blockers.length > 0, JSON.stringify(text));
    assert.ok(r.firstFix);
  }
});

// --- Checkpoint 2: node names in spans --------------------------------------------------------------------------

test('which node ids can name a span', () => {
  for (const ok of ['classify', 'lookup_order', 'step-2', 'Review.v2', 'prüfen']) assert.equal(unnameableReason(ok), undefined, ok);
  for (const bad of ['draft answer', 'parent|child', 'ns:task', '__start__', '__end__', 'tab\there', ' ']) assert.ok(unnameableReason(bad), bad);
});

// --- Trace measurements -----------------------------------------------------------------------------------------

const triage = () => lintFile('examples/support-triage.agentgraph.yaml');

test('observed failures recovered below 80% fail checkpoint 5, naming the worst node', () => {
  const traces: TraceMeasurements = { runs: 40, source: 'runs.jsonl', failures: { observed: 10, recovered: 3, byNode: { lookup: { observed: 8, recovered: 1 }, draft: { observed: 2, recovered: 2 } } } };
  const r = checkReadiness(triage(), traces);
  assert.deepEqual(failed(r), [5]);
  const measured = checkpoint(r, 5).evidence.filter((e) => e.source === 'traces');
  assert.match(measured[0].message, /^only 3 of 10 failures observed in 40 runs \(30%\) were recovered, below 80%/);
  assert.equal(measured[0].kind, 'fail');
  assert.match(r.firstFix!.text, /node "lookup"/);
  assert.deepEqual(r.traces, { runs: 40, source: 'runs.jsonl' });
});

test('observed failures recovered at 80% or more, and runs within their bounds, join the evidence of a ready graph', () => {
  const r = checkReadiness(triage(), { runs: 12, failures: { observed: 10, recovered: 9 }, maxVisits: { review: 3 }, maxSteps: 9, costPerRun: { maxUsd: 0.21, meanUsd: 0.08, maxTokens: 41000 } });
  assert.equal(r.verdict, 'ready');
  const measured = r.checkpoints.flatMap((c) => c.evidence.filter((e) => e.source === 'traces').map((e) => `${c.id} ${e.kind} ${e.message}`));
  assert.deepEqual(measured, [
    '3 info observed cost per run over 12 runs: $0.08 on average, $0.21 at most (budget.usd $0.40)',
    '3 info observed tokens per run over 12 runs: 41,000 at most (budget.tokens 60,000)',
    '3 info the longest of 12 runs took 9 of budget.steps 30',
    '5 info 9 of 10 failures observed in 12 runs (90%) were recovered without a person',
    '5 info node "review" ran at most 3 of its max_visits 3 times in one run: the guard tripped, so on_exhausted was taken',
  ]);
});

test('a run over a loop guard or over the budget fails the checkpoint that relies on it', () => {
  const r = checkReadiness(triage(), { runs: 5, maxVisits: { review: 5 }, costPerRun: { maxUsd: 0.55 }, maxSteps: 31 });
  assert.deepEqual(failed(r), [3, 5]);
  const fails = r.checkpoints.flatMap((c) => c.evidence.filter((e) => e.kind === 'fail').map((e) => e.message));
  assert.ok(fails.some((m) => /cost \$0\.55, over budget\.usd \$0\.40/.test(m)));
  assert.ok(fails.some((m) => /took 31 steps, over budget\.steps 30/.test(m)));
  assert.ok(fails.some((m) => /node "review" ran 5 times in one run, over its max_visits 3/.test(m)));
});

test('trace figures for nodes the graph does not have are shown as such, not applied', () => {
  const r = checkReadiness(triage(), { runs: 3, failures: { observed: 1, recovered: 1, byNode: { gone: { observed: 1, recovered: 1 } } }, maxVisits: { gone: 9 } });
  assert.equal(r.verdict, 'ready');
  assert.ok(checkpoint(r, 5).evidence.some((e) => /node "gone" failed 1 time .*no such node in the graph/.test(e.message)));
});

test('measurements are validated where they cross a boundary', () => {
  assert.ok(traceMeasurementsSchema.safeParse({ runs: 3 }).success);
  assert.ok(traceMeasurementsSchema.safeParse({ runs: 3, failures: { observed: 2, recovered: 1, byNode: { a: { observed: 2, recovered: 1 } } }, maxVisits: { a: 2 }, costPerRun: { maxUsd: 0.1 } }).success);
  assert.equal(traceMeasurementsSchema.safeParse({ runs: -1 }).success, false);
  assert.equal(traceMeasurementsSchema.safeParse({ runs: 3, failures: { observed: 1, recovered: 2 } }).success, false);
  assert.equal(traceMeasurementsSchema.safeParse({ runs: 3, extra: true }).success, false);
  assert.equal(traceMeasurementsSchema.safeParse({ runs: 3, costPerRun: { maxUsd: Infinity } }).success, false);
});
