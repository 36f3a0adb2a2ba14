// Size limits of the wire, shared by the web host, the renderer's API client and the Import dialog, so the UI can never
// send what the host refuses: the dialog refuses a larger file first, the client refuses a larger frame, the host
// closes a connection that sends one anyway (close code 1009) and keeps serving the others.

/** Largest WebSocket message the web host accepts (bytes). */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/**
 * Largest CSV file the Import dialog sends (bytes). Below the frame limit with room for the JSON around the text and
 * its escapes (a CSV line of ≈ 40 bytes gains one `\n` escape: ≈ 3 %); 24 MB holds ≈ 40 years of 1-minute bars of
 * one instrument in a 6-hour session, or ≈ 500,000 rows of OHLCV.
 */
export const MAX_IMPORT_BYTES = 24 * 1024 * 1024;

/** Requests of one connection dispatched at the same time; later ones wait their turn, in arrival order. */
export const MAX_IN_FLIGHT_PER_CONNECTION = 8;
/** Requests of one connection waiting beyond those in flight; past this, the client gets an immediate busy error. */
export const MAX_QUEUED_PER_CONNECTION = 2_000;
/** Bytes of waiting requests of one connection; past this, the same busy error (a few huge frames count as many). */
export const MAX_QUEUED_BYTES_PER_CONNECTION = 64 * 1024 * 1024;

export function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
