// Streaming indicators: O(1) per update, the same definitions (and seeding) as batch.ts, for live strategies.

export class SmaStream {
  private readonly buf: Float64Array;
  private i = 0;
  private sum = 0;
  value = NaN;
  constructor(readonly n: number) {
    this.buf = new Float64Array(n);
  }
  update(x: number): number {
    const slot = this.i % this.n;
    if (this.i >= this.n) this.sum -= this.buf[slot]!;
    this.buf[slot] = x;
    this.sum += x;
    this.i++;
    this.value = this.i >= this.n ? this.sum / this.n : NaN;
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
