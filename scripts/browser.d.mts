// Types of scripts/browser.mjs for the TypeScript tests that share it.
export type FoundBrowser = { path: string; source: string; problem?: undefined } | { path?: undefined; source?: undefined; problem: string };
export function findBrowser(env?: NodeJS.ProcessEnv): Promise<FoundBrowser>;
export function installHint(env?: NodeJS.ProcessEnv): string;
export function describeBrowser(found: FoundBrowser): string;
