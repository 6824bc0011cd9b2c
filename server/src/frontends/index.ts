// The frontends, one line each. Adding a source language is one folder under frontends/ and one line here.
import type { Frontend } from './frontend.ts';
import { yamlFrontend } from './yaml/index.ts';
import { langgraphPythonFrontend } from './langgraph-python/index.ts';
import { langgraphJsFrontend } from './langgraph-js/index.ts';

export const FRONTENDS: readonly Frontend[] = [
  yamlFrontend,
  langgraphPythonFrontend,
  langgraphJsFrontend,
];

/** The frontend that reads a file of this name, if any. */
export function frontendFor(path: string): Frontend | undefined {
  const name = path.replace(/[?#].*$/, '');
  return FRONTENDS.find((f) => f.handles(name));
}

/** Whether a file of this name may hold a graph (its text still has to pass the frontend's pre-check). */
export function isGraphSource(path: string): boolean {
  return frontendFor(path) !== undefined;
}

/** Whether a file holds a graph as far as the cheap pre-check can tell. */
export function mayHoldGraph(path: string, text: string): boolean {
  return frontendFor(path)?.mayHoldGraph(text) ?? false;
}

export type { Frontend, FrontendResult } from './frontend.ts';
