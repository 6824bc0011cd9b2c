// Small typed accessors over the `yaml` package's syntax tree, so that the frontend reads values and their
// source ranges in one step. Only the format frontend imports this module.
import { isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../../core/ir.ts';

export type AnyNode = YamlNode | null | undefined;

export function rangeOf(node: AnyNode, fallback: Range): Range {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : fallback;
}

export function pairs(node: AnyNode): Pair<YamlNode, YamlNode>[] {
  return isMap(node) ? (node.items as Pair<YamlNode, YamlNode>[]) : [];
}

export function keyName(pair: Pair<YamlNode, YamlNode>): string | undefined {
  const k = pair.key;
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) return String(k.value);
  return undefined;
}

export function getPair(node: AnyNode, key: string): Pair<YamlNode, YamlNode> | undefined {
  for (const p of pairs(node)) if (keyName(p) === key) return p;
  return undefined;
}

export function get(node: AnyNode, key: string): AnyNode {
  return getPair(node, key)?.value;
}

export function str(node: AnyNode): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function num(node: AnyNode): number | undefined {
  return isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) ? node.value : undefined;
}

export function bool(node: AnyNode): boolean | undefined {
  return isScalar(node) && typeof node.value === 'boolean' ? node.value : undefined;
}

/** The string items of a sequence, each with its range; a lone string counts as a list of one. */
export function strItems(node: AnyNode): { value: string; range: Range }[] {
  if (isSeq(node)) {
    const out: { value: string; range: Range }[] = [];
    for (const item of node.items as AnyNode[]) {
      const s = str(item);
      if (s !== undefined) out.push({ value: s, range: rangeOf(item, { start: 0, end: 0 }) });
    }
    return out;
  }
  const s = str(node);
  return s === undefined ? [] : [{ value: s, range: rangeOf(node, { start: 0, end: 0 }) }];
}

export function isMapNode(node: AnyNode): node is YAMLMap<YamlNode, YamlNode> {
  return isMap(node);
}

/**
 * Finds the syntax node at a path of keys and indices. Returns the deepest node reached, the key node of the
 * last pair passed through (so that a missing key can be reported at its parent's key), and whether the
 * whole path was found.
 */
export function locate(doc: Document, path: readonly PropertyKey[]): { node: AnyNode; key: AnyNode; found: boolean } {
  let node: AnyNode = doc.contents as AnyNode;
  let key: AnyNode = undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = (node.items as Pair<YamlNode, YamlNode>[]).find((p) => keyName(p) === String(step));
      if (!pair) return { node, key, found: false };
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as AnyNode;
      if (item === undefined) return { node, key, found: false };
      node = item;
    } else {
      return { node, key, found: false };
    }
  }
  return { node, key, found: true };
}

export { isPair };
