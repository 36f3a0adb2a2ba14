CREATE TABLE `statements` (
	`symbol` text NOT NULL,
	`period` text NOT NULL,
	`period_end` text NOT NULL,
	`source` text NOT NULL,
	`report_date` text NOT NULL,
	`estimated` integer DEFAULT 0 NOT NULL,
	`currency` text,
	`revenue` real,
	`gross_profit` real,
	`ebitda` real,
	`net_income` real,
	`eps` real,
	`total_equity` real,
	`total_debt` real,
	`cash` real,
	`shares_outstanding` real,
	`stored_at` integer NOT NULL,
	PRIMARY KEY(`symbol`, `period`, `period_end`, `source`, `report_date`)
);
--> statement-breakpoint
CREATE INDEX `statements_report` ON `statements` (`symbol`,`report_date`);