// Bar shapes shared by historical data, keepUpToDate updates and real-time bars.
export interface BarValues {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  wap: number;
  count: number;
}

/** A historical bar, its date already formatted as the request asked (formatDate 1 or 2). */
export interface Bar extends BarValues {
  date: string;
}

/** A bar being built from live trades; `time` is its start in UTC seconds. */
export interface LiveBar extends BarValues {
  time: number;
}
