// Streaming indicators: O(1) per update, the same definitions (and seeding) as src-shared/domain/indicators/batch.ts, for live strategies.

/** Fixed-size ring of the last n values. */
class Ring {
  private readonly buf: Float64Array;
  private i = 0;
  constructor(readonly n: number) {
    this.buf = new Float64Array(n);
  }
  get count(): number {
    return Math.min(this.i, this.n);
  }
  /** Pushes x and returns the value that fell out (NaN while filling). */
  push(x: number): number {
    const slot = this.i % this.n;
    const out = this.i >= this.n ? this.buf[slot]! : NaN;
    this.buf[slot] = x;
    this.i++;
    return out;
  }
  /** The value `ago` steps back (0 = newest). */
  at(ago: number): number {
    return ago < this.count ? this.buf[(this.i - 1 - ago) % this.n]! : NaN;
  }
}

export class SmaStream {
  private readonly ring: Ring;
  private sum = 0;
  value = NaN;
  constructor(readonly n: number) {
    this.ring = new Ring(n);
  }
  update(x: number): number {
    const out = this.ring.push(x);
    this.sum += Number.isNaN(out) ? x : x - out;
    this.value = this.ring.count === this.n ? this.sum / this.n : NaN;
    return this.value;
  }
}

export class EmaStream {
  private readonly seed: SmaStream;
  private readonly alpha: number;
  value = NaN;
  constructor(readonly n: number) {
    this.seed = new SmaStream(n);
    this.alpha = 2 / (n + 1);
  }
  update(x: number): number {
    if (Number.isNaN(this.value)) {
      this.value = this.seed.update(x);
      return this.value;
    }
    this.value += this.alpha * (x - this.value);
    return this.value;
  }
}

export class RsiStream {
  private prev = NaN;
  private count = 0;
  private gain = 0;
  private loss = 0;
  value = NaN;
  constructor(readonly n: number) {}
  update(x: number): number {
    if (!Number.isNaN(this.prev)) {
      const d = x - this.prev;
      const g = d > 0 ? d : 0;
      const l = d < 0 ? -d : 0;
      this.count++;
      if (this.count <= this.n) {
        this.gain += g / this.n;
        this.loss += l / this.n;
      } else {
        this.gain = (this.gain * (this.n - 1) + g) / this.n;
        this.loss = (this.loss * (this.n - 1) + l) / this.n;
      }
      if (this.count >= this.n) this.value = this.loss === 0 ? 100 : 100 - 100 / (1 + this.gain / this.loss);
    }
    this.prev = x;
    return this.value;
  }
}

export class AtrStream {
  private prevClose = NaN;
  private count = 0;
  value = NaN;
  private acc = 0;
  constructor(readonly n: number) {}
  update(high: number, low: number, close: number): number {
    if (!Number.isNaN(this.prevClose)) {
      const tr = Math.max(high - low, Math.abs(high - this.prevClose), Math.abs(low - this.prevClose));
      this.count++;
      if (this.count < this.n) this.acc += tr;
      else if (this.count === this.n) this.value = (this.acc + tr) / this.n;
      else this.value = (this.value * (this.n - 1) + tr) / this.n;
    }
    this.prevClose = close;
    return this.value;
  }
}

export class WmaStream {
  private readonly ring: Ring;
  private sum = 0;
  private weighted = 0;
  private seen = 0;
  value = NaN;
  constructor(readonly n: number) {
    this.ring = new Ring(n);
  }
  update(x: number): number {
    this.seen++;
    if (this.seen <= this.n) {
      this.sum += x;
      this.weighted += this.seen * x;
      this.ring.push(x);
    } else {
      this.weighted += this.n * x - this.sum;
      this.sum += x - this.ring.push(x);
    }
    this.value = this.seen >= this.n ? this.weighted / ((this.n * (this.n + 1)) / 2) : NaN;
    return this.value;
  }
}

export class MacdStream {
  private readonly fast: EmaStream;
  private readonly slow: EmaStream;
  private readonly signalEma: EmaStream;
  macd = NaN;
  signal = NaN;
  hist = NaN;
  constructor(fast: number, slow: number, signal: number) {
    this.fast = new EmaStream(fast);
    this.slow = new EmaStream(slow);
    this.signalEma = new EmaStream(signal);
  }
  update(x: number): number {
    const f = this.fast.update(x);
    const s = this.slow.update(x);
    this.macd = f - s;
    this.signal = Number.isNaN(this.macd) ? NaN : this.signalEma.update(this.macd);
    this.hist = this.macd - this.signal;
    return this.macd;
  }
}

/** Rolling mean and population standard deviation (Bollinger bands, z-score). */
export class StdDevStream {
  private readonly ring: Ring;
  private s = 0;
  private s2 = 0;
  mean = NaN;
  sd = NaN;
  constructor(readonly n: number) {
    this.ring = new Ring(n);
  }
  update(x: number): number {
    const out = this.ring.push(x);
    this.s += x;
    this.s2 += x * x;
    if (!Number.isNaN(out)) {
      this.s -= out;
      this.s2 -= out * out;
    }
    if (this.ring.count === this.n) {
      this.mean = this.s / this.n;
      this.sd = Math.sqrt(Math.max(0, this.s2 / this.n - this.mean * this.mean));
    }
    return this.sd;
  }
}

export class BollingerStream {
  private readonly sd: StdDevStream;
  upper = NaN;
  middle = NaN;
  lower = NaN;
  constructor(n: number, private readonly k: number) {
    this.sd = new StdDevStream(n);
  }
  update(x: number): number {
    const sd = this.sd.update(x);
    this.middle = this.sd.mean;
    this.upper = this.middle + this.k * sd;
    this.lower = this.middle - this.k * sd;
    return this.middle;
  }
}

export class ZScoreStream {
  private readonly sd: StdDevStream;
  value = NaN;
  constructor(n: number) {
    this.sd = new StdDevStream(n);
  }
  update(x: number): number {
    const sd = this.sd.update(x);
    this.value = Number.isNaN(sd) ? NaN : sd === 0 ? 0 : (x - this.sd.mean) / sd;
    return this.value;
  }
}

/** Rolling max or min with a monotonic deque of (index, value): O(1) amortised. */
class ExtremeStream {
  private readonly idx: number[] = [];
  private readonly val: number[] = [];
  private i = 0;
  value = NaN;
  constructor(readonly n: number, private readonly max: boolean) {}
  update(x: number): number {
    while (this.val.length && (this.max ? this.val[this.val.length - 1]! <= x : this.val[this.val.length - 1]! >= x)) {
      this.val.pop();
      this.idx.pop();
    }
    this.val.push(x);
    this.idx.push(this.i);
    if (this.idx[0]! <= this.i - this.n) {
      this.idx.shift();
      this.val.shift();
    }
    this.i++;
    this.value = this.i >= this.n ? this.val[0]! : NaN;
    return this.value;
  }
}

export class DonchianStream {
  private readonly hi: ExtremeStream;
  private readonly lo: ExtremeStream;
  upper = NaN;
  lower = NaN;
  middle = NaN;
  constructor(n: number) {
    this.hi = new ExtremeStream(n, true);
    this.lo = new ExtremeStream(n, false);
  }
  update(high: number, low: number): number {
    this.upper = this.hi.update(high);
    this.lower = this.lo.update(low);
    this.middle = (this.upper + this.lower) / 2;
    return this.middle;
  }
}

export class StochasticStream {
  private readonly hi: ExtremeStream;
  private readonly lo: ExtremeStream;
  private readonly kSma: SmaStream;
  private readonly dSma: SmaStream;
  k = NaN;
  d = NaN;
  constructor(period: number, smoothK: number, d: number) {
    this.hi = new ExtremeStream(period, true);
    this.lo = new ExtremeStream(period, false);
    this.kSma = new SmaStream(smoothK);
    this.dSma = new SmaStream(d);
  }
  update(high: number, low: number, close: number): number {
    const hh = this.hi.update(high);
    const ll = this.lo.update(low);
    if (Number.isNaN(hh)) return NaN;
    const raw = hh === ll ? 50 : (100 * (close - ll)) / (hh - ll);
    this.k = this.kSma.update(raw);
    if (!Number.isNaN(this.k)) this.d = this.dSma.update(this.k);
    return this.k;
  }
}

export class RocStream {
  private readonly ring: Ring;
  value = NaN;
  constructor(readonly n: number) {
    this.ring = new Ring(n + 1);
  }
  update(x: number): number {
    this.ring.push(x);
    const past = this.ring.at(this.n);
    this.value = Number.isNaN(past) ? NaN : 100 * (x / past - 1);
    return this.value;
  }
}

/** Rolling Pearson correlation of (x, y) and the OLS hedge ratio of y on x, population moments over n pairs. */
export class PairStream {
  private readonly xs: Ring;
  private readonly ys: Ring;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private syy = 0;
  private sxy = 0;
  correlation = NaN;
  hedgeRatio = NaN;
  constructor(readonly n: number) {
    this.xs = new Ring(n);
    this.ys = new Ring(n);
  }
  update(x: number, y: number): number {
    const ox = this.xs.push(x);
    const oy = this.ys.push(y);
    this.sx += x; this.sy += y; this.sxx += x * x; this.syy += y * y; this.sxy += x * y;
    if (!Number.isNaN(ox)) {
      this.sx -= ox; this.sy -= oy; this.sxx -= ox * ox; this.syy -= oy * oy; this.sxy -= ox * oy;
    }
    if (this.xs.count === this.n) {
      const mx = this.sx / this.n, my = this.sy / this.n;
      const cov = this.sxy / this.n - mx * my;
      const vx = Math.max(0, this.sxx / this.n - mx * mx), vy = Math.max(0, this.syy / this.n - my * my);
      this.correlation = vx === 0 || vy === 0 ? NaN : cov / Math.sqrt(vx * vy);
      this.hedgeRatio = vx === 0 ? NaN : cov / vx;
    }
    return this.correlation;
  }
}
