// A one-line progress bar on stderr, drawn only when stderr is a terminal, so --json
// output on stdout and piped logs stay clean.

export interface ProgressState {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  label: string;
  /** Seconds left, when the task can estimate it. */
  secondsLeft?: number | null;
}

/** Time left as a ticking clock, "03:07" or "1:02:05", so the bar keeps its width; prose durations use shared/format.ts. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function renderBar(state: ProgressState, width = 28): string {
  const f = state.fraction === null ? null : Math.min(1, Math.max(0, state.fraction));
  const filled = f === null ? 0 : Math.round(f * width);
  const bar = f === null ? '·'.repeat(width) : '█'.repeat(filled) + '░'.repeat(width - filled);
  const pct = f === null ? '   ' : `${String(Math.floor(f * 100)).padStart(3)}%`;
  const eta = state.secondsLeft != null ? `  ${formatClock(state.secondsLeft)} left` : '';
  return `${bar} ${pct}  ${state.label}${eta}`;
}

export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {}

  update(state: ProgressState): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && state.fraction !== 1) return;
    this.lastDraw = now;
    const cols = this.stream.columns ?? 100;
    this.stream.write(`\r${renderBar(state).slice(0, cols - 1)}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
