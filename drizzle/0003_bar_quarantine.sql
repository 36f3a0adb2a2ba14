CREATE TABLE `bar_quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`symbol` text NOT NULL,
	`timeframe` text NOT NULL,
	`source` text NOT NULL,
	`row` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bar_quarantine_symbol` ON `bar_quarantine` (`symbol`,`timeframe`);