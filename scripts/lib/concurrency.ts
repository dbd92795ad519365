// How many requests a run keeps in flight when the list does not say: a limit that grows
// (doubling at first, as TCP's slow start does) while answers keep coming and requests wait
// for a slot, and shrinks when answers slow down, when failures rise or when the run's
// memory nears its budget; after memory cuts it grows back while memory stays level.
// Decisions are made once per window of finished requests, so the limit moves with the
// run's own pace.

/** What the limit reads from the machine at each decision; a test passes its own. */
export type MemoryGauge = () => number;

export interface AdaptiveLimitOptions {
  /** The limit to start from, and the lowest it goes: the fixed default of older versions. */
  initial: number;
  /** The highest it goes. */
  max: number;
  /**
   * Resident memory (bytes) the run stays under: near it the limit stops growing; above it,
   * and still rising, it shrinks. (Resident memory rarely falls once taken, so a run that is
   * over budget but steady keeps its limit rather than shrinking for nothing.)
   */
  memoryBudget: number;
  memory?: MemoryGauge;
}

/** How one request ended, as the limit sees it. */
export type RequestOutcome =
  /** An HTTP answer, whatever its status, after `ms` to its headers. */
  | { answered: true; ms: number }
  /** No answer: a timeout, a reset. `local` when the failure is this machine's (out of sockets or descriptors). */
  | { answered: false; local?: boolean };

/** Growth per window while every signal is quiet, and the cut when one is not. */
const GROWTH = 1.25;
const BACKOFF = 0.75;
/**
 * Until the first cut, and below this limit, the limit doubles instead: a run of 300 cobalt
 * instances wants 600 requests in flight from its start, and at a quarter per window the
 * last instances started seconds late. Above it, where memory starts to count, growth is
 * careful again.
 */
const SLOW_START_UNTIL = 512;
/** A window's median answer time this many times the usual median means the run is pushing too hard. */
const LATENCY_TOLERANCE = 2;
/** Failures this many points above the usual share, and at least twice it, mean the same. */
const FAILURE_MARGIN = 0.1;
/** How fast the usual median and failure share follow quiet windows. */
const SMOOTHING = 0.1;
/** Near the budget, growth stops before memory is short. */
const MEMORY_HOLD = 0.85;
/** Memory this share of the budget above it (or above the reading at the last memory cut) is a reason to cut. */
const MEMORY_STEP = 0.02;
/** Enough finished requests in a window for its median to mean something. */
const MIN_WINDOW = 64;

/** "regrow": growth back after memory cuts, while memory over budget stays level (see #judge). */
export type Decision = "grow" | "regrow" | "hold" | "latency" | "failures" | "memory" | "local";

export class AdaptiveLimit {
  readonly #options: Required<AdaptiveLimitOptions>;
  #limit: number;
  #peak: number;
  #answers: number[] = [];
  #failures = 0;
  #waited = false;
  /** No cut yet: growth may double (see SLOW_START_UNTIL). */
  #startingUp = true;
  /** Requests still to finish that were sent before the last cut: they say nothing about the new limit. */
  #cooling = 0;
  /** The usual median answer time and failure share, from windows that did not back off. */
  #usualMs: number | null = null;
  #usualFailures: number | null = null;
  /** Resident memory when the limit was last cut for memory (see #overMemory). */
  #memoryAtCut = 0;
  /** Resident memory at the last window's decision: growth over budget needs it level. */
  #memoryBefore = 0;
  /** The most that memory over budget, but level, may grow back to: where the first memory cut set the limit, lowered by each cut that came after growing back to it. */
  #memoryCeiling: number | null = null;
  /** The limit grew back since the last cut. */
  #regrown = false;
  #sinceMemoryRead = 0;
  /** The last decisions, newest last, for a run's figures and for tests. */
  readonly decisions: Decision[] = [];

  constructor(options: AdaptiveLimitOptions) {
    this.#options = { memory: () => process.memoryUsage.rss(), ...options };
    this.#limit = options.initial;
    this.#peak = options.initial;
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return Math.round(this.#limit);
  }

  /** The highest limit of the run so far. */
  get peak(): number {
    return Math.round(this.#peak);
  }

  /**
   * Records one finished request. `waiting` says whether other requests were waiting for a
   * slot when it finished: only then is the limit what holds the run back, and worth raising.
   */
  record(outcome: RequestOutcome, waiting: boolean): void {
    if (this.#cooling > 0) return void this.#cooling--;
    if (outcome.answered) this.#answers.push(outcome.ms);
    else if (outcome.local) return this.#decide("local");
    else this.#failures++;
    this.#waited ||= waiting;
    // Memory is read more often than once a window: at a limit of 1,024 a window lasts
    // seconds, in which a run's memory can pass its budget by a hundred megabytes.
    if (++this.#sinceMemoryRead >= MIN_WINDOW) {
      this.#sinceMemoryRead = 0;
      if (this.#overMemory(this.#options.memory())) return this.#decide("memory");
    }
    if (this.#answers.length + this.#failures >= Math.max(MIN_WINDOW, this.limit)) this.#decide(this.#judge());
  }

  /**
   * Memory counts as rising once it passed the budget, or the reading of the last memory
   * cut, by a step: resident memory creeps up by a megabyte here and there whatever the
   * limit, and a cut for each of them took the limit down to its floor for good.
   */
  #overMemory(memory: number): boolean {
    const mark = Math.max(this.#options.memoryBudget, this.#memoryAtCut);
    if (memory <= mark + MEMORY_STEP * this.#options.memoryBudget) return false;
    this.#memoryAtCut = memory;
    return true;
  }

  #judge(): Decision {
    const finished = this.#answers.length + this.#failures;
    const failureShare = this.#failures / finished;
    const median = medianOf(this.#answers);
    const memory = this.#options.memory();
    const memoryBefore = this.#memoryBefore;
    this.#memoryBefore = memory;
    if (this.#overMemory(memory)) return "memory";
    if (median !== null && this.#usualMs !== null && median > LATENCY_TOLERANCE * this.#usualMs) return "latency";
    if (this.#usualFailures !== null && failureShare > Math.max(2 * this.#usualFailures, this.#usualFailures + FAILURE_MARGIN)) return "failures";
    // A quiet window: it says what is usual.
    if (median !== null) this.#usualMs = this.#usualMs === null ? median : this.#usualMs + SMOOTHING * (median - this.#usualMs);
    this.#usualFailures = this.#usualFailures === null ? failureShare : this.#usualFailures + SMOOTHING * (failureShare - this.#usualFailures);
    if (!this.#waited) return "hold";
    if (memory < MEMORY_HOLD * this.#options.memoryBudget) return "grow";
    // Near or over the budget, a limit that memory cut may grow back, up to where the first memory cut set it, while
    // memory stays level: what pushed memory up was often not the requests in flight (a heap that grows before its
    // next full collection, the entries a run keeps), and a limit that only held stayed low for the rest of the run.
    const level = memory <= memoryBefore + MEMORY_STEP * this.#options.memoryBudget;
    return level && this.#memoryCeiling !== null && this.#limit < this.#memoryCeiling ? "regrow" : "hold";
  }

  #decide(decision: Decision): void {
    const { initial, max } = this.#options;
    if (decision === "grow") {
      const factor = this.#startingUp && this.#limit < SLOW_START_UNTIL ? 2 : GROWTH;
      this.#limit = Math.min(max, Math.max(this.#limit * factor, this.#limit + 1));
      if (this.#startingUp && factor === 2) this.#limit = Math.min(this.#limit, SLOW_START_UNTIL);
    } else if (decision === "regrow") {
      this.#limit = Math.min(this.#memoryCeiling!, this.#limit * GROWTH);
      this.#regrown = true;
    } else if (decision !== "hold") {
      this.#startingUp = false;
      this.#cooling = this.limit;
      this.#limit = Math.max(initial, this.#limit * BACKOFF);
      // The first memory cut sets how far the limit may grow back; a cut after growing back lowers it.
      if (decision === "memory" && (this.#memoryCeiling === null || this.#regrown)) this.#memoryCeiling = this.#limit;
      this.#regrown = false;
    }
    this.#peak = Math.max(this.#peak, this.#limit);
    this.decisions.push(decision);
    if (this.decisions.length > 1000) this.decisions.splice(0, 500);
    this.#answers = [];
    this.#failures = 0;
    this.#waited = false;
  }
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
