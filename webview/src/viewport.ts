// Pan and zoom: one transform on the drawing (a CSS transform of the <svg>, which the browser composites), never
// a relayout. Drag or wheel to pan, Ctrl/Cmd + wheel to zoom at the pointer, and the toolbar's buttons.

export interface View {
  x: number;
  y: number;
  k: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 4;
/** Below this zoom the node labels are hard to read: the first view does not go smaller. */
const READABLE_ZOOM = 0.7;

export class Viewport {
  view: View = { x: 0, y: 0, k: 1 };
  private frame = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private drag: { id: number; x: number; y: number; view: View; moved: boolean } | undefined;
  /** Set when the last pointer gesture was a drag, so that the click it ends is not a node click. */
  dragged = false;

  constructor(
    private readonly stage: HTMLElement,
    private readonly drawing: SVGSVGElement,
    private readonly onChange: (view: View) => void,
  ) {
    stage.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    stage.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    stage.addEventListener('pointermove', (e) => this.onPointerMove(e));
    stage.addEventListener('pointerup', (e) => this.onPointerUp(e));
    stage.addEventListener('pointercancel', (e) => this.onPointerUp(e));
  }

  set(view: View, animate = false): void {
    const k = clamp(view.k, MIN_ZOOM, MAX_ZOOM);
    const next = { x: finite(view.x), y: finite(view.y), k };
    if (animate) {
      this.drawing.animate([{ transform: css(this.view) }, { transform: css(next) }], { duration: 200, easing: 'ease-out' });
    }
    this.view = next;
    this.schedule();
  }

  /** Pans by a screen distance. */
  panBy(dx: number, dy: number): void {
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy });
  }

  /** Zooms by a factor, keeping the point under (cx, cy) (stage coordinates) where it is. */
  zoomBy(factor: number, cx = this.stage.clientWidth / 2, cy = this.stage.clientHeight / 2): void {
    const k = clamp(this.view.k * factor, MIN_ZOOM, MAX_ZOOM);
    const f = k / this.view.k;
    this.set({ k, x: cx - (cx - this.view.x) * f, y: cy - (cy - this.view.y) * f });
  }

  /** Shows the whole drawing, centred, at most at 100%. */
  fit(size: { width: number; height: number }, animate = false): void {
    const w = this.stage.clientWidth || 800;
    const h = this.stage.clientHeight || 600;
    const k = clamp(Math.min(w / Math.max(size.width, 1), h / Math.max(size.height, 1), 1), MIN_ZOOM, 1);
    this.set({ k, x: (w - size.width * k) / 2, y: (h - size.height * k) / 2 }, animate);
  }

  /**
   * The first view of a graph: all of it when it fits at a readable size, else readable from its start (the
   * left or top edge, where the run begins), centred on the other axis when that fits.
   */
  initial(size: { width: number; height: number }): void {
    const w = this.stage.clientWidth || 800;
    const h = this.stage.clientHeight || 600;
    const k = clamp(Math.max(Math.min(w / Math.max(size.width, 1), h / Math.max(size.height, 1), 1), READABLE_ZOOM), MIN_ZOOM, 1);
    const x = size.width * k <= w ? (w - size.width * k) / 2 : 16;
    const y = size.height * k <= h ? (h - size.height * k) / 2 : 16;
    this.set({ k, x, y });
  }

  /** Pans so that a box of the drawing is in view, if it is not already. */
  reveal(box: Box, center = false): void {
    const { x, y, k } = this.view;
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    const left = box.x * k + x;
    const top = box.y * k + y;
    const margin = 24;
    const inside = left >= margin && top >= margin && left + box.width * k <= w - margin && top + box.height * k <= h - margin;
    if (inside && !center) return;
    this.set({ k, x: w / 2 - (box.x + box.width / 2) * k, y: h / 2 - (box.y + box.height / 2) * k }, true);
  }

  /** Applies the view once per frame, whatever the number of events. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      // Composited while it moves; crisp again once it rests (a layer kept for transforms is not re-rastered).
      this.drawing.style.willChange = 'transform';
      this.drawing.style.transform = css(this.view);
      if (this.idle) clearTimeout(this.idle);
      this.idle = setTimeout(() => (this.drawing.style.willChange = 'auto'), 200);
      this.onChange(this.view);
    });
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.stage.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) this.zoomBy(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), e.clientX - rect.left, e.clientY - rect.top);
    else {
      const unit = e.deltaMode === 1 ? 16 : 1;
      this.panBy(-(e.shiftKey && !e.deltaX ? e.deltaY : e.deltaX) * unit, -(e.shiftKey && !e.deltaX ? 0 : e.deltaY) * unit);
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 && e.button !== 1) return;
    if ((e.target as Element).closest?.('input, button')) return;
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, view: { ...this.view }, moved: false };
    this.dragged = false;
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) {
      d.moved = true;
      this.stage.setPointerCapture(e.pointerId);
      this.stage.classList.add('panning');
    }
    this.set({ ...d.view, x: d.view.x + dx, y: d.view.y + dy });
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    this.dragged = d.moved;
    this.drag = undefined;
    this.stage.classList.remove('panning');
    if (this.stage.hasPointerCapture(e.pointerId)) this.stage.releasePointerCapture(e.pointerId);
  }
}

function css(v: View): string {
  return `translate(${v.x}px, ${v.y}px) scale(${v.k})`;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : 1));
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}
