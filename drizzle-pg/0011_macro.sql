CREATE TABLE "macro_observations" (
	"series_id" text NOT NULL,
	"date" text NOT NULL,
	"value" double precision,
	CONSTRAINT "macro_observations_series_id_date_pk" PRIMARY KEY("series_id","date")
);
--> statement-breakpoint
CREATE TABLE "macro_series" (
	"id" text PRIMARY KEY NOT NULL,
	"info" jsonb NOT NULL,
	"fetched_at" bigint NOT NULL
);
