// What the chart's news panel and the screener's Sentiment column share: how a score reads, and how many headlines
// both ask main for (one count, so main's news cache answers the one with what the other fetched).
export const HEADLINES_PER_SYMBOL = 8;

/** A score in (−1, 1) with its sign and a true minus: "+0.71", "−0.60", "0.00". */
export const signedScore = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(2)}`;
