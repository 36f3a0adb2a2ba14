// Storage failures in plain words: a full disk (SQLITE_FULL, ENOSPC) is the user's to fix, not an internal error.

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e !== undefined && e !== null && i < 10; e = (e as { cause?: unknown }).cause, i++) out.push(e);
  return out;
}

/** True when the error, or one it wraps, says the disk (or the database's size limit) is full. */
export function isDiskFull(err: unknown): boolean {
  return chain(err).some((e) => {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
    return e instanceof Error && /database or disk is full|no space left on device/i.test(e.message);
  });
}

/** The innermost message: the driver's own words ("database or disk is full"), without wrapped SQL text. */
export function rootMessage(err: unknown): string {
  const all = chain(err);
  const last = all[all.length - 1];
  return oneLine(last instanceof Error ? last.message : String(last));
}

/** Multi-line messages (a migration's SQL, a stack) folded into one line of bounded length. */
export function oneLine(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function diskFullMessage(err: unknown): string {
  return `The disk is full: ${rootMessage(err)}. Free some space on the disk of the data folder`;
}
