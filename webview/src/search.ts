// The search box: marks the nodes whose id, kind or detail contains the text (the rest fade), and Enter steps
// through the matches, putting each in view. Escape clears it.

export class Search {
  private matches: string[] = [];
  private index = -1;

  constructor(
    private readonly canvas: SVGSVGElement,
    private readonly input: HTMLInputElement,
    private readonly count: HTMLElement,
    private readonly goTo: (id: string) => void,
  ) {
    input.addEventListener('input', () => this.refresh());
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        input.value = '';
        this.refresh();
        input.blur();
      }
    });
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  /** Marks the matches again: after typing, and after a new drawing. */
  refresh(): void {
    const query = this.input.value.trim().toLowerCase();
    this.matches = [];
    for (const el of Array.from(this.canvas.querySelectorAll<SVGGElement>('.ag-node'))) {
      const text = `${el.dataset.id ?? ''} ${el.querySelector(':scope > title')?.textContent ?? ''}`.toLowerCase();
      const hit = query !== '' && text.includes(query);
      el.classList.toggle('match', hit);
      if (hit && el.dataset.id) this.matches.push(el.dataset.id);
    }
    this.canvas.classList.toggle('searching', query !== '');
    this.index = -1;
    this.count.textContent = query === '' ? '' : this.matches.length === 0 ? 'no match' : `${this.matches.length} match${this.matches.length === 1 ? '' : 'es'}`;
  }

  private step(by: number): void {
    if (this.matches.length === 0) return;
    this.index = (this.index + by + this.matches.length) % this.matches.length;
    this.count.textContent = `${this.index + 1} of ${this.matches.length}`;
    this.goTo(this.matches[this.index]);
  }
}
