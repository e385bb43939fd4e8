/**
 * One self-redrawing line on a terminal; on anything else (a pipe, a CI log) it stays quiet and
 * the caller prints plain lines instead, so logs are not flooded with carriage returns.
 */
export class ProgressBar {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private total: number,
    private readonly enabled = stream.isTTY === true,
  ) {}

  get interactive(): boolean {
    return this.enabled;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  update(done: number, detail = '', force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    // At most ~12 redraws a second: redrawing on every file of a large import costs more than it shows.
    if (!force && now - this.last < 80 && done < this.total) return;
    this.last = now;
    const columns = this.stream.columns ?? 80;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const counts = `${done}/${this.total}`;
    const text = ` ${this.label} ${counts} ${Math.round(share * 100)}%${detail ? ` · ${detail}` : ''}`;
    const width = Math.max(10, Math.min(40, columns - text.length - 3));
    const filled = Math.round(share * width);
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${text}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
    this.drawn = true;
  }

  /** Leaves the line as it is and moves below it. */
  finish(): void {
    if (this.enabled && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  /** Prints a message above the bar without breaking it. */
  log(message: string): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(`${message}\n`);
    this.drawn = false;
  }
}
