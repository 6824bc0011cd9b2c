// Records the real traces of test/fixtures/traces-real/python/ and of its TypeScript twin test/fixtures/traces-real/js/
// into those folders (recorded.jsonl, otlp-protobuf.b64, debug.jsonl): `node --import tsx scripts/record-traces.ts
// [python|js]` (both without an argument). The tests re-record them into a temporary folder on every run and check
// that the committed ones still match what the instrumentation emits.
import { recordRealJsTraces, recordRealTraces, REAL_APP, REAL_JS_APP } from '../test/support/recordTraces.ts';

const only = process.argv[2];
if (only !== undefined && only !== 'python' && only !== 'js') throw new Error('usage: record-traces.ts [python|js]');
void (async () => {
  if (only !== 'js') console.log(`${REAL_APP}: ${(await recordRealTraces(REAL_APP)).length} spans received`);
  if (only !== 'python') console.log(`${REAL_JS_APP}: ${(await recordRealJsTraces(REAL_JS_APP)).length} spans received`);
})();
