// Records the real traces of test/fixtures/traces-real/python/ into that folder (recorded.jsonl,
// otlp-protobuf.b64, debug.jsonl): `node --import tsx scripts/record-traces.ts`. The test re-records them into a
// temporary folder on every run and checks that the committed ones still match what the instrumentation emits.
import { recordRealTraces, REAL_APP } from '../test/support/recordTraces.ts';

void recordRealTraces(REAL_APP).then((spans) => console.log(`${REAL_APP}: ${spans.length} spans received`));
