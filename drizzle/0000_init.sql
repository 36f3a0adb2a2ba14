CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`broker` text NOT NULL,
	`currency` text NOT NULL,
	`cash` text NOT NULL,
	`initial_cash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time` integer NOT NULL,
	`kind` text NOT NULL,
	`order_id` text,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_order` ON `audit_log` (`order_id`);--> statement-breakpoint
CREATE TABLE `bars` (
	`symbol` text NOT NULL,
	`timeframe` text NOT NULL,
	`time` integer NOT NULL,
	`open` real NOT NULL,
	`high` real NOT NULL,
	`low` real NOT NULL,
	`close` real NOT NULL,
	`volume` real NOT NULL,
	PRIMARY KEY(`symbol`, `timeframe`, `time`)
);
--> statement-breakpoint
CREATE TABLE `equity_history` (
	`account_id` text NOT NULL,
	`time` integer NOT NULL,
	`nav` text NOT NULL,
	PRIMARY KEY(`account_id`, `time`)
);
--> statement-breakpoint
CREATE TABLE `fills` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`quantity` real NOT NULL,
	`price` real NOT NULL,
	`commission` text NOT NULL,
	`time` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `fills_account_time` ON `fills` (`account_id`,`time`);--> statement-breakpoint
CREATE INDEX `fills_order` ON `fills` (`order_id`);--> statement-breakpoint
CREATE TABLE `instruments` (
	`symbol` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`asset_class` text NOT NULL,
	`currency` text NOT NULL,
	`exchange` text NOT NULL,
	`tick_size` real NOT NULL,
	`lot_size` real NOT NULL,
	`session` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`broker_order_id` text,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`quantity` real NOT NULL,
	`limit_price` real,
	`stop_price` real,
	`time_in_force` text NOT NULL,
	`stop_loss` real,
	`take_profit` real,
	`parent_id` text,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`filled_quantity` real NOT NULL,
	`avg_fill_price` real,
	`reject_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_account_created` ON `orders` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status` ON `orders` (`status`);--> statement-breakpoint
CREATE TABLE `positions` (
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`quantity` real NOT NULL,
	`avg_price` real NOT NULL,
	`realized_pnl` text NOT NULL,
	PRIMARY KEY(`account_id`, `symbol`)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `strategies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL
);
