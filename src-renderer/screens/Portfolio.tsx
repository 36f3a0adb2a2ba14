// The Portfolio screen (issue 13): the ledger's accounts (editable), holdings with their tax lots, the transactions
// with filters, the file import (CSV or IB Flex) and manual entry. Everything is read from the portfolio.* API; a
// change anywhere bumps `version` so every panel reloads.
import { useState } from 'react';
import { AccountsPanel } from './portfolio/AccountsPanel';
import { HoldingsPanel } from './portfolio/HoldingsPanel';
import { ImportPanel } from './portfolio/ImportPanel';
import { TransactionsPanel } from './portfolio/TransactionsPanel';
import { useLedgerAccounts } from './portfolio/common';

export function Portfolio() {
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const ledger = useLedgerAccounts(version);
  return (
    <div className="portfolio">
      <ImportPanel onImported={changed} />
      <AccountsPanel accounts={ledger.accounts} error={ledger.error} onSaved={changed} />
      <HoldingsPanel version={version} name={ledger.name} />
      <TransactionsPanel version={version} accounts={ledger.accounts} name={ledger.name} onChanged={changed} />
    </div>
  );
}
