// End to end in Chromium: the ticket trades what the chosen account's market offers. With OANDA connected last (the
// default account), choosing the paper account on the ticket must let the trader find and buy a stock the demo market
// lists and OANDA does not, with that market's bid and ask (the ticket, its quote and the symbol search used to follow
// the default account: no AAPL in the search, "Unknown symbol AAPL", bid and ask "—").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Order } from '../../src-shared/domain/types';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { startOandaSim, SIM_TOKEN, type RunningOandaSim } from '../support/oanda-sim-process';
import { startHost, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let oanda: RunningOandaSim;

beforeAll(async () => {
  browser = await launchBrowser();
  oanda = await startOandaSim(['--tick-ms', '500', '--heartbeat-ms', '1000']);
  // US market hours (so AAPL ticks on the demo market) and a price shock to AAPL on SIGUSR2 (so the paper market's bid
  // moves far from any quote the page kept from before OANDA became the default account).
  host = await startHost({ env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:00:00Z,price-shock=AAPL:0.5' } });
});

afterAll(async () => {
  await host?.stop();
  await oanda?.stop();
  await browser?.close();
});

describe('the ticket follows the chosen account\'s instruments', () => {
  it('finds and buys AAPL on the paper account while OANDA is the default', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
    await nav('Settings');
    const oa = page.getByRole('form', { name: 'OANDA connection' });
    await oa.getByLabel('REST URL (optional)').fill(oanda.url);
    await oa.getByLabel('API token', { exact: true }).fill(SIM_TOKEN);
    await oa.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => oa.getByTestId('venue-oanda-state').textContent(), { timeout: 20_000 }).toBe('connected');

    const api = await connect(host.port, host.token);
    try {
      type Account = { accountId: string; venue: string; default: boolean };
      const accounts = (await api.call('accounts.list', {})) as Account[];
      const paper = accounts.find((a) => a.venue === 'paper')!;
      const oandaAccount = accounts.find((a) => a.venue === 'oanda')!;
      expect(oandaAccount.default).toBe(true);
      // The contract: each account's own market, the default one's without an account.
      const symbols = async (accountId?: string) => ((await api.call('instruments.list', accountId ? { accountId } : {})) as { symbol: string }[]).map((i) => i.symbol);
      expect(await symbols()).not.toContain('AAPL');
      expect(await symbols(paper.accountId)).toContain('AAPL');
      expect(await symbols(oandaAccount.accountId)).toEqual(await symbols());
      await expect(api.call('instruments.list', { accountId: 'nobody' })).rejects.toThrow(/nobody/);

      await nav('Chart');
      await page.getByLabel('Account').selectOption({ label: 'Paper' });
      await page.getByLabel('Search symbol').fill('AAPL');
      await page.getByRole('option', { name: /AAPL/ }).first().click();
      await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('AAPL');
      // Its bid live from the paper account's market (the page's own quotes follow OANDA's, which has no AAPL): the demo
      // market halves AAPL; the ticket follows, within 1 % of that market's own bid (it ticks in between).
      type Quote = { symbol: string; bid: number };
      const paperBid = async () => ((await api.call('quotes.snapshot', { accountId: paper.accountId })) as Quote[]).find((q) => q.symbol === 'AAPL')!.bid;
      expect(((await api.call('quotes.snapshot', {})) as Quote[]).some((q) => q.symbol === 'AAPL')).toBe(false);
      const before = await paperBid();
      host.signal('SIGUSR2');
      await expect.poll(async () => (await paperBid()) / before, { timeout: 10_000 }).toBeLessThan(0.6);
      const ticketBid = async () => Number(((await page.locator('.ticket .quote-line b').first().textContent()) ?? '').replace(/,/g, ''));
      await expect.poll(async () => Math.abs((await ticketBid()) / (await paperBid()) - 1), { timeout: 10_000 }).toBeLessThan(0.01);
      await page.getByLabel('Quantity').fill('3');
      await page.getByRole('button', { name: 'Buy' }).click();
      // Sent to the paper account (filled, or held for the open when the US market is closed), never refused as unknown.
      await expect.poll(async () => ((await api.call('orders.list', { accountId: paper.accountId })) as Order[]).filter((o) => o.symbol === 'AAPL').length, { timeout: 15_000 }).toBe(1);
      expect(await page.locator('.ticket').textContent()).not.toMatch(/Unknown symbol/);
    } finally {
      api.close();
    }
  });
});
