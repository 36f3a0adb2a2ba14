CREATE TABLE `backtest_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`strategy` text NOT NULL,
	`summary` text NOT NULL,
	`result` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backtest_runs_created` ON `backtest_runs` (`created_at`);