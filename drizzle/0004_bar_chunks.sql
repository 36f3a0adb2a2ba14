CREATE TABLE `bar_chunks` (
	`symbol` text NOT NULL,
	`timeframe` text NOT NULL,
	`period_start` integer NOT NULL,
	`first_time` integer NOT NULL,
	`last_time` integer NOT NULL,
	`count` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`symbol`, `timeframe`, `period_start`)
);
--> statement-breakpoint
CREATE TABLE `bar_restatements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`symbol` text NOT NULL,
	`timeframe` text NOT NULL,
	`source` text NOT NULL,
	`detected_at` integer NOT NULL,
	`count` integer NOT NULL,
	`from_time` integer NOT NULL,
	`to_time` integer NOT NULL,
	`applied` text NOT NULL,
	`changes` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bar_restatements_symbol` ON `bar_restatements` (`symbol`,`detected_at`);--> statement-breakpoint
CREATE TABLE `corporate_actions` (
	`symbol` text NOT NULL,
	`kind` text NOT NULL,
	`time` integer NOT NULL,
	`value` real NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`symbol`, `kind`, `time`)
);
--> statement-breakpoint
ALTER TABLE `bar_quarantine` ADD `time` integer;--> statement-breakpoint
ALTER TABLE `bar_quarantine` ADD `action` text DEFAULT 'quarantined' NOT NULL;--> statement-breakpoint
ALTER TABLE `bar_quarantine` ADD `bar` text;--> statement-breakpoint
CREATE INDEX `bar_quarantine_time` ON `bar_quarantine` (`symbol`,`timeframe`,`time`);