// The graph panel's page: a strict Content Security Policy (nothing by default, scripts by nonce, the layout
// worker from a blob of the bundled worker script), the toolbar, the drawing surface and the theme stylesheet.
// Plain TypeScript without `vscode`, so that the webview tests and the benchmark serve the very same page.
import { randomBytes } from 'node:crypto';
import { FONT } from '../../webview/src/layout.ts';
import { graphCss, VSCODE_PALETTE } from '../../webview/src/theme.ts';

export interface GraphPageOptions {
  /** `webview.cspSource`: where the bundle's files are served from. */
  cspSource: string;
  nonce: string;
  /** URIs of dist/webview/main.js, graph.css and layoutWorker.js as the webview sees them. */
  scriptUri: string;
  styleUri: string;
  workerUri: string;
}

export function graphPage(o: GraphPageOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} blob: data:`,
    `font-src ${o.cspSource}`,
    // The worker script is fetched from the bundle and started from a blob: webviews cannot start a worker
    // from their resource origin directly.
    `connect-src ${o.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<style nonce="${attr(o.nonce)}">${graphCss(VSCODE_PALETTE, FONT.family)}</style>
<title>Agent graph</title>
</head>
<body data-worker="${attr(o.workerUri)}">
<header class="bar">
  <div class="head" id="head" aria-live="polite"><span class="name" id="head-name"></span><span class="figs" id="head-figs"></span></div>
  <div class="tools" role="toolbar" aria-label="Graph tools">
    <input id="search" type="search" placeholder="Find node" aria-label="Find a node by name" spellcheck="false">
    <span id="search-count" class="count" aria-live="polite"></span>
    <button id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
    <button id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
    <button id="fit" title="Fit to the panel (0)" aria-label="Fit the graph to the panel">Fit</button>
    <button id="export-svg" title="Export the picture as SVG" aria-label="Export as SVG">SVG</button>
    <button id="export-png" title="Export the picture as PNG" aria-label="Export as PNG">PNG</button>
  </div>
</header>
<div id="banner" class="banner" role="status" hidden></div>
<main id="stage">
  <svg id="canvas" class="ag-graph" role="application" aria-roledescription="agent graph" aria-label="Agent graph" tabindex="-1">
    <g id="viewport"><g id="scene"></g></g>
  </svg>
  <div id="message" class="message" role="status"></div>
</main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

/** A fresh nonce per page load. */
export function makeNonce(): string {
  return randomBytes(24).toString('base64url');
}
