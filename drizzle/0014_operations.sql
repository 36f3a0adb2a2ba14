CREATE TABLE `config_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time` integer NOT NULL,
	`subject` text NOT NULL,
	`source` text NOT NULL,
	`hash` text NOT NULL,
	`text` text NOT NULL,
	`diff` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `config_versions_subject` ON `config_versions` (`subject`,`id`);--> statement-breakpoint
CREATE TABLE `hook_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hook` text NOT NULL,
	`event` text NOT NULL,
	`key` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer NOT NULL,
	`next_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hook_outbox_key` ON `hook_outbox` (`hook`,`key`);--> statement-breakpoint
CREATE INDEX `hook_outbox_due` ON `hook_outbox` (`delivered_at`,`next_at`);