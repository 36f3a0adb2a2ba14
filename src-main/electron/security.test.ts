// Electron hardening: the window options and the handlers installed on the session and web contents.
// Electron cannot start in CI, so the handlers are captured from recording stand-ins and exercised directly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents, isTrustedRendererUrl, secureWindowOptions } from './security';

type Fn = (...args: never[]) => unknown;

function recordingSession() {
  const handlers: Record<string, Fn> = {};
  const session = {
    setPermissionRequestHandler: (h: Fn) => (handlers.permissionRequest = h),
    setPermissionCheckHandler: (h: Fn) => (handlers.permissionCheck = h),
    webRequest: { onHeadersReceived: (h: Fn) => (handlers.headers = h) },
  };
  return { session: session as unknown as Session, handlers };
}

function recordingContents() {
  const on: Record<string, Fn> = {};
  let openHandler: Fn | undefined;
  const contents = {
    on: (name: string, h: Fn) => (on[name] = h),
    setWindowOpenHandler: (h: Fn) => (openHandler = h),
  };
  return { contents: contents as unknown as WebContents, on, open: () => openHandler };
}

function navigationEvent() {
  let prevented = false;
  return { event: { preventDefault: () => (prevented = true) }, prevented: () => prevented };
}

describe('Electron hardening', () => {
  it('window: context isolation, sandbox, no Node integration, no webviews', () => {
    const wp = secureWindowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.webviewTag).toBe(false);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.disableBlinkFeatures).toBe('Auxclick');
    expect(wp.preload).toBe('/app/out/preload/index.cjs');
  });

  it('session: every permission is denied and the CSP header is set on every response', () => {
    const { session, handlers } = recordingSession();
    hardenSession(session);
    let granted: boolean | undefined;
    (handlers.permissionRequest as (wc: unknown, p: string, cb: (g: boolean) => void) => void)(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect((handlers.permissionCheck as (...a: unknown[]) => boolean)(null, 'notifications')).toBe(false);
    let headers: Record<string, string[]> | undefined;
    (handlers.headers as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers!['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers!['Content-Type']).toEqual(['text/html']);
  });

  it('CSP: scripts only from the app, no inline script, no eval, no objects or framing', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('web contents: foreign navigation, redirects, webviews and new windows are blocked', () => {
    const { contents, on, open } = recordingContents();
    hardenWebContents(contents);
    const foreign = navigationEvent();
    (on['will-navigate'] as (e: unknown, url: string) => void)(foreign.event, 'https://evil.example/');
    expect(foreign.prevented()).toBe(true);
    const own = navigationEvent();
    (on['will-navigate'] as (e: unknown, url: string) => void)(own.event, 'file:///opt/app/out/renderer/index.html');
    expect(own.prevented()).toBe(false);
    const redirect = navigationEvent();
    (on['will-redirect'] as (e: unknown, url: string) => void)(redirect.event, 'http://127.0.0.1:9/');
    expect(redirect.prevented()).toBe(true);
    const webview = navigationEvent();
    (on['will-attach-webview'] as (e: unknown) => void)(webview.event);
    expect(webview.prevented()).toBe(true);
    expect((open() as () => { action: string })()).toEqual({ action: 'deny' });
  });

  it('trusted renderer URLs: only our file or the dev server', () => {
    expect(isTrustedRendererUrl('file:///x/out/renderer/index.html')).toBe(true);
    expect(isTrustedRendererUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/')).toBe(false);
  });

  it('the Electron entry installs these guards and checks the IPC sender', () => {
    const main = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
    expect(main).toMatch(/hardenSession\(session\.defaultSession\)/);
    expect(main).toMatch(/web-contents-created[^\n]*hardenWebContents/);
    expect(main).toMatch(/const options = secureWindowOptions\(/);
    // The literal restatement for static audits says what secureWindowOptions says.
    const literal = /new BrowserWindow\(\{ \.\.\.options, webPreferences: \{ \.\.\.options\.webPreferences, (.*) \} \}\);/.exec(main)?.[1];
    const wp = secureWindowOptions('/p').webPreferences as Record<string, unknown>;
    const restated = Object.fromEntries(literal!.split(', ').map((kv) => kv.split(': ')).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v!.replace(/'/g, '')]));
    expect(Object.keys(restated).length).toBeGreaterThanOrEqual(4);
    for (const [k, v] of Object.entries(restated)) expect(wp[k]).toBe(v);
    expect(main).toMatch(/if \(!checkSender\(event\)\)/);
  });
});
