CREATE TABLE `macro_observations` (
	`series_id` text NOT NULL,
	`date` text NOT NULL,
	`value` real,
	PRIMARY KEY(`series_id`, `date`)
);
--> statement-breakpoint
CREATE TABLE `macro_series` (
	`id` text PRIMARY KEY NOT NULL,
	`info` text NOT NULL,
	`fetched_at` integer NOT NULL
);
