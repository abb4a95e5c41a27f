// Progress on stderr, never on stdout (stdout is for results and --json):
//  - on a terminal, a one-line bar redrawn in place (ProgressBar);
//  - anywhere else (nohup, a batch job, CI logs), plain lines a log can keep (ProgressLog):
//    a first one 5 s in, so the log shows the job started (and a command refused at once
//    prints only its reason), then at most one every 30 s, plus a line at each milestone (a
//    training epoch's end);
//  - with --quiet, nothing.
// The clock and the timer are injectable, so the intervals are tested without waiting.
import { formatCount, formatDuration, formatPercent, formatValue } from '../../shared/format';

export interface ProgressState {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  label: string;
  /** Seconds left, when the task can estimate it. */
  secondsLeft?: number | null;
  /** How fast the task goes, when it reports it: { perSecond: 1460, unit: 'tokens' }. */
  rate?: { perSecond: number; unit: string } | null;
}

/** Where progress is written: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
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

/** "1,460 tokens/s", "12.5 positions/s"; null when there is no finite rate. */
export function formatRate(rate: ProgressState['rate']): string | null {
  if (!rate || !Number.isFinite(rate.perSecond) || rate.perSecond < 0) return null;
  const n = rate.perSecond >= 100 ? formatCount(rate.perSecond) : formatValue(rate.perSecond, 3);
  return `${n} ${rate.unit}/s`;
}

const clamp01 = (f: number) => Math.min(1, Math.max(0, f));

export function renderBar(state: ProgressState, width = 28): string {
  const f = state.fraction === null ? null : clamp01(state.fraction);
  const filled = f === null ? 0 : Math.round(f * width);
  const bar = f === null ? '·'.repeat(width) : '█'.repeat(filled) + '░'.repeat(width - filled);
  const pct = f === null ? '   ' : `${String(Math.floor(f * 100)).padStart(3)}%`;
  const rate = formatRate(state.rate);
  const eta = state.secondsLeft != null ? `  ${formatClock(state.secondsLeft)} left` : '';
  return `${bar} ${pct}  ${state.label}${rate ? `, ${rate}` : ''}${eta}`;
}

/**
 * One plain line for a log: the label, then the fraction, the rate and the time left, those
 * the task reports: "epoch 3/39 train 120/500, ppl 234.1 — 23.4 %, 1,460 tokens/s, 2 h 05 min left".
 * No \r and no escape codes; the caller escapes the label's control characters.
 */
export function progressLine(state: ProgressState): string {
  const parts: string[] = [];
  if (state.fraction !== null && Number.isFinite(state.fraction)) {
    // To 0.1 %, and never 100 % before the end.
    const f = clamp01(state.fraction);
    parts.push(formatPercent(Math.min(Math.round(f * 1000), f < 1 ? 999 : 1000) / 1000, 1));
  }
  const rate = formatRate(state.rate);
  if (rate) parts.push(rate);
  if (state.secondsLeft != null && Number.isFinite(state.secondsLeft) && state.secondsLeft >= 0) {
    parts.push(`${formatDuration(state.secondsLeft)} left`);
  }
  return parts.length ? `${state.label} — ${parts.join(', ')}` : state.label;
}

/** What the CLI reports progress to: a bar, a log, or nothing. */
export interface ProgressSink {
  update(state: ProgressState): void;
  /** A line that stays, whatever the interval: a training epoch's end. */
  milestone(state: ProgressState): void;
  /** Takes the bar off the line before other output; nothing for a log. */
  done(): void;
  /** The command is over: the bar taken off, a log's pending first line dropped. */
  end(): void;
}

export class ProgressBar implements ProgressSink {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;
  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly enabled = Boolean(process.stderr.isTTY),
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(state: ProgressState): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastDraw < 100 && state.fraction !== 1) return;
    this.lastDraw = now;
    const cols = this.stream.columns ?? 100;
    this.stream.write(`\r${renderBar(state).slice(0, cols - 1)}\x1b[K`);
    this.drawn = true;
  }

  milestone(state: ProgressState): void {
    if (!this.enabled) return;
    this.done();
    this.stream.write(progressLine(state) + '\n');
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  end(): void {
    this.done();
  }
}

export const LOG_INTERVAL_MS = 30_000;
/** The first line waits this long, so a command refused at once prints only its one-line reason. */
export const LOG_FIRST_LINE_MS = 5_000;

/** Runs `fn` after `ms` unless cancelled; never keeps the process alive. */
export type Later = (fn: () => void, ms: number) => () => void;

const realLater: Later = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export class ProgressLog implements ProgressSink {
  private readonly started: number;
  private lastLine: number | null = null;
  /** The latest report before the first line, and the timer that prints it. */
  private pending: ProgressState | null = null;
  private cancelPending: (() => void) | null = null;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => Date.now(),
    private readonly intervalMs = LOG_INTERVAL_MS,
    private readonly firstLineMs = LOG_FIRST_LINE_MS,
    private readonly later: Later = realLater,
  ) {
    this.started = now();
  }

  update(state: ProgressState): void {
    const now = this.now();
    if (this.lastLine === null) {
      // The first line: at the first report once firstLineMs have passed, or then by the timer
      // with the latest report, so a log shows the job started even when reports are sparse.
      if (now - this.started >= this.firstLineMs) return this.write(state, now);
      this.pending = state;
      this.cancelPending ??= this.later(() => {
        this.cancelPending = null;
        if (this.pending) this.write(this.pending, this.now());
      }, this.firstLineMs - (now - this.started));
      return;
    }
    if (now - this.lastLine < this.intervalMs) return;
    this.write(state, now);
  }

  milestone(state: ProgressState): void {
    this.write(state, this.now());
  }

  done(): void {}

  end(): void {
    this.dropPending();
  }

  private dropPending(): void {
    this.cancelPending?.();
    this.cancelPending = null;
    this.pending = null;
  }

  private write(state: ProgressState, now: number): void {
    this.dropPending();
    this.lastLine = now;
    this.stream.write(progressLine(state) + '\n');
  }
}

const SILENT: ProgressSink = { update() {}, milestone() {}, done() {}, end() {} };

export interface ProgressOptions {
  /** --quiet: no bar and no lines. */
  quiet?: boolean;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** A bar when true, lines when false; default: whether the stream is a terminal. */
  terminal?: boolean;
  /** Milliseconds, default Date.now. */
  now?: () => number;
  /** Between two log lines, default 30 s. */
  intervalMs?: number;
  /** Before the first log line, default 5 s. */
  firstLineMs?: number;
  /** The timer of the first line, default setTimeout (unref'd). */
  later?: Later;
}

/** The bar on a terminal, lines in a log, nothing with --quiet. */
export function progressSink(options: ProgressOptions = {}): ProgressSink {
  if (options.quiet) return SILENT;
  const stream = options.stream ?? process.stderr;
  const terminal = options.terminal ?? Boolean(stream.isTTY);
  return terminal
    ? new ProgressBar(stream, true, options.now)
    : new ProgressLog(stream, options.now, options.intervalMs, options.firstLineMs, options.later);
}

/** Time left from the time so far, for tasks that report only a fraction; null until 2 % is done. */
export function secondsLeftFrom(elapsedSeconds: number, fraction: number | null): number | null {
  return fraction !== null && fraction > 0.02 ? (elapsedSeconds * (1 - fraction)) / fraction : null;
}
