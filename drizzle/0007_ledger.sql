CREATE TABLE `ledger_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_transactions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`date` text NOT NULL,
	`type` text NOT NULL,
	`symbol` text,
	`source` text NOT NULL,
	`source_ref` text,
	`data` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_id_unique` ON `ledger_transactions` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_tx_source_ref` ON `ledger_transactions` (`account_id`,`source`,`source_ref`);--> statement-breakpoint
CREATE INDEX `ledger_tx_account_date` ON `ledger_transactions` (`account_id`,`date`);