// A synthetic OHLCV CSV file of about `bytes` bytes: 1-minute bars of a seeded random walk (for import tests and benches).
export function syntheticCsv(bytes: number, seed = 7): { text: string; rows: number } {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const lines = ['Date,Open,High,Low,Close,Volume'];
  let size = lines[0]!.length;
  let t = Date.UTC(2000, 0, 3) / 1000;
  let p = 100;
  while (size < bytes) {
    const o = p;
    p *= 1 + (rnd() - 0.5) * 0.002;
    const line = `${new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ')},${o.toFixed(4)},${(Math.max(o, p) * 1.0002).toFixed(4)},${(Math.min(o, p) * 0.9998).toFixed(4)},${p.toFixed(4)},${Math.floor(rnd() * 1e5)}`;
    lines.push(line);
    size += line.length + 1;
    t += 60;
  }
  return { text: lines.join('\n'), rows: lines.length - 1 };
}
