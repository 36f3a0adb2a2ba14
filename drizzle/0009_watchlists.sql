CREATE TABLE `watchlists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`symbols` text NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL
);
