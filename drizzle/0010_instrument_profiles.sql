CREATE TABLE `instrument_profiles` (
	`symbol` text NOT NULL,
	`source` text NOT NULL,
	`sector` text,
	`industry` text,
	`asset_class` text,
	`country` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`symbol`, `source`)
);
