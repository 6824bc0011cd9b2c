// The rule catalog, in catalog order. Adding a rule: its file here, one line below, its doc page
// (docs/rules/AGxxx.md) and its fixtures (test/fixtures/rules/AGxxx/).
import type { Rule } from './rule.ts';
import { AG001 } from './AG001.ts';
import { AG002 } from './AG002.ts';
import { AG003 } from './AG003.ts';
import { AG004 } from './AG004.ts';
import { AG005 } from './AG005.ts';
import { AG006 } from './AG006.ts';
import { AG101 } from './AG101.ts';
import { AG102 } from './AG102.ts';
import { AG103 } from './AG103.ts';
import { AG104 } from './AG104.ts';
import { AG201 } from './AG201.ts';
import { AG202 } from './AG202.ts';
import { AG203 } from './AG203.ts';
import { AG204 } from './AG204.ts';
import { AG205 } from './AG205.ts';
import { AG301 } from './AG301.ts';
import { AG302 } from './AG302.ts';
import { AG303 } from './AG303.ts';
import { AG304 } from './AG304.ts';
import { AG305 } from './AG305.ts';
import { AG306 } from './AG306.ts';
import { AG401 } from './AG401.ts';
import { AG402 } from './AG402.ts';
import { AG501 } from './AG501.ts';
import { AG502 } from './AG502.ts';
import { AG601 } from './AG601.ts';
import { AG701 } from './AG701.ts';

export const RULES: readonly Rule[] = [
  AG001,
  AG002,
  AG003,
  AG004,
  AG005,
  AG006,
  AG101,
  AG102,
  AG103,
  AG104,
  AG201,
  AG202,
  AG203,
  AG204,
  AG205,
  AG301,
  AG302,
  AG303,
  AG304,
  AG305,
  AG306,
  AG401,
  AG402,
  AG501,
  AG502,
  AG601,
  AG701,
];
