export function Tax() { return null; }
