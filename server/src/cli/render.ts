// `agentgraph render FILE --format svg|png -o OUT`: the graph visualizer's picture for pull requests and docs,
// drawn by the same layout and renderer as the VS Code panel, in a fixed light palette.
import { statSync, writeFileSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { parseCommandArgs } from './args.ts';
import ELK from 'elkjs/lib/elk.bundled.js';
import { Workspace } from '../analysis/workspace.ts';
import { pathToUri } from '../core/uris.ts';
import { diskHost } from '../node/diskHost.ts';
import { buildGraphView } from '../view/graphView.ts';
import { layoutGraph, type Direction } from '../../../webview/src/layout.ts';
import { renderSvg } from '../../../webview/src/render.ts';
import { LIGHT_PALETTE } from '../../../webview/src/theme.ts';
import { expandInputs } from './files.ts';

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** File name extensions of picture formats render does not write. */
const OTHER_PICTURES = new Set(['jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'avif', 'heic', 'ico', 'pdf', 'eps']);

export async function renderCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    return await render(argv, out, err);
  } catch (e) {
    // A failure here is a bug in AgentGraph, not in the user's graph.
    err(`agentgraph render: internal error: ${(e as Error)?.stack ?? String(e)}\nplease report this with the graph file\n`);
    return EXIT.failed;
  }
}

async function render(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'render', argv, { format: { type: 'string' }, output: { type: 'string', short: 'o' }, direction: { type: 'string', default: 'right' }, scale: { type: 'string', default: '2' } },
    { out, err },
  );
  if (typeof args === 'number') return args;
  const { positionals, values } = args;
  if (positionals.length !== 1) {
    err(`agentgraph render: give exactly one graph file, e.g. \`agentgraph render graph.agentgraph.yaml -o graph.svg\`\n`);
    return EXIT.usage;
  }
  const output = values.output;
  const ext = output ? extname(output).toLowerCase().slice(1) : '';
  if (values.format === undefined && ext && ext !== 'svg' && ext !== 'png') {
    err(`agentgraph render: cannot write ${output}: render draws svg or png; name the file .svg or .png\n`);
    return EXIT.usage;
  }
  const format = values.format ?? (ext === 'png' ? 'png' : 'svg');
  if (format !== 'svg' && format !== 'png') {
    err(`agentgraph render: --format must be svg or png, not "${format}"\n`);
    return EXIT.usage;
  }
  // With --format, any name goes, but not one that promises another picture format.
  if ((ext === 'svg' || ext === 'png' || OTHER_PICTURES.has(ext)) && ext !== format) {
    err(`agentgraph render: -o ${output} names ${ext === 'svg' || ext === 'png' ? `an ${ext}` : `a .${ext} file`}, but the picture is ${format}: name the file .${format}\n`);
    return EXIT.usage;
  }
  if (format === 'png' && !output) {
    err('agentgraph render: a png is binary: give a file with -o, e.g. `-o graph.png`\n');
    return EXIT.usage;
  }
  const direction = values.direction.toLowerCase();
  if (direction !== 'right' && direction !== 'down') {
    err(`agentgraph render: --direction must be right or down, not "${values.direction}"\n`);
    return EXIT.usage;
  }
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale < 0.5 || scale > 4) {
    err(`agentgraph render: --scale must be a number from 0.5 to 4, not "${values.scale}"\n`);
    return EXIT.usage;
  }

  const file = resolve(positionals[0]);
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) {
    err(`agentgraph render: ${positionals[0]}: no such file\n`);
    return EXIT.usage;
  }
  if (st.isDirectory()) {
    const inside = expandInputs([positionals[0]]).files.slice(0, 3).map(displayPath);
    const example = inside.length > 0 ? `: give one of its graphs, such as ${inside.join(', ')}` : '';
    err(`agentgraph render: ${positionals[0]} is a folder; render draws one graph file${example}\n`);
    return EXIT.usage;
  }
  if (diskHost.read(pathToUri(file)) === undefined) {
    err(`agentgraph render: ${positionals[0]}: cannot be read: check that you may read it\n`);
    return EXIT.usage;
  }
  const analysis = new Workspace(diskHost).analyze(pathToUri(file));
  if (!analysis.graph) {
    const first = analysis.diagnostics[0];
    const where = first ? ` (line ${analysis.lines.position(first.range.start).line + 1}: ${first.message})` : '';
    err(`agentgraph render: ${positionals[0]} is not an agent graph that can be drawn${where}; run \`agentgraph check\` on it\n`);
    return EXIT.failed;
  }
  const model = buildGraphView(analysis);
  const layout = await layoutGraph(model, { direction: (direction === 'down' ? 'DOWN' : 'RIGHT') as Direction }, new ELK());
  const svg = renderSvg(layout, { palette: LIGHT_PALETTE });

  if (format === 'svg') {
    if (output) writeFileSync(output, svg);
    else out(svg);
  } else {
    let png: Buffer;
    try {
      png = await rasterize(svg, scale);
    } catch (e) {
      err(`agentgraph render: cannot draw the png (${(e as Error).message}); write an svg instead with --format svg\n`);
      return EXIT.failed;
    }
    writeFileSync(output!, png);
  }
  if (output) err(`agentgraph render: wrote ${displayPath(output)} (${analysis.graph.nodes.size} nodes)\n`);
  return EXIT.ok;
}

/** SVG -> PNG with resvg (a native binary shipped inside its npm package; no browser needed). */
export async function rasterize(svg: string, scale: number): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') ? resolve(file) : rel;
}
