// The panel's exports: the same renderer as the CLI, in the colours of the current VS Code theme resolved to
// plain values (an exported file is read outside VS Code). PNG through a canvas.
import type { GraphLayout } from './layout.ts';
import { renderSvg } from './render.ts';
import { PALETTE_ROLES, VSCODE_PALETTE, type Palette } from './theme.ts';

/** The VS Code palette with every variable resolved to the colour the theme gives it now. */
export function resolvedPalette(): Palette {
  const probe = document.createElement('span');
  probe.hidden = true;
  document.body.append(probe);
  const out = { ...VSCODE_PALETTE };
  for (const role of PALETTE_ROLES) {
    probe.style.color = '';
    probe.style.color = VSCODE_PALETTE[role];
    out[role] = getComputedStyle(probe).color || VSCODE_PALETTE[role];
  }
  probe.remove();
  return out;
}

export function exportSvg(layout: GraphLayout): string {
  return renderSvg(layout, { palette: resolvedPalette() });
}

/** Draws the exported SVG on a canvas, twice the size where the canvas allows it; a PNG data URL. */
export async function exportPng(layout: GraphLayout): Promise<string> {
  const svg = exportSvg(layout);
  const size = /width="(\d+)" height="(\d+)"/.exec(svg);
  const width = Number(size?.[1] ?? layout.width);
  const height = Number(size?.[2] ?? layout.height);
  const scale = Math.max(0.1, Math.min(2, 16000 / width, 16000 / height, Math.sqrt(120e6 / (width * height))));
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the browser could not draw the SVG'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas is available');
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
