// The control block a sweep's workers and the main thread share: Int32 slots in a SharedArrayBuffer.
export const NEXT = 0; // index of the next parameter set to claim
export const DONE = 1; // backtests finished, for progress
export const STOP = 2; // non-zero: claim nothing more (cancelled, or another worker failed)
export const CONTROL_SLOTS = 3;
