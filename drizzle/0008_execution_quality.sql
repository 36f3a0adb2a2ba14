CREATE TABLE `fill_quality` (
	`fill_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`account_id` text NOT NULL,
	`venue` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`quantity` real NOT NULL,
	`sent_at` integer NOT NULL,
	`time` integer NOT NULL,
	`arrival_bid` real NOT NULL,
	`arrival_ask` real NOT NULL,
	`arrival_mid` real NOT NULL,
	`spread` real NOT NULL,
	`fill_price` real NOT NULL,
	`pip_size` real NOT NULL,
	`slippage` real NOT NULL,
	`slippage_pips` real NOT NULL,
	`slippage_bps` real NOT NULL,
	`slippage_cost` text,
	`currency` text NOT NULL,
	FOREIGN KEY (`fill_id`) REFERENCES `fills`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `fill_quality_account_time` ON `fill_quality` (`account_id`,`time`);--> statement-breakpoint
ALTER TABLE `positions` ADD `financing` text DEFAULT '0.00' NOT NULL;