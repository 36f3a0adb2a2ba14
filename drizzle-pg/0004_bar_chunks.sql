CREATE TABLE "bar_chunks" (
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"period_start" bigint NOT NULL,
	"first_time" bigint NOT NULL,
	"last_time" bigint NOT NULL,
	"count" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "bar_chunks_symbol_timeframe_period_start_pk" PRIMARY KEY("symbol","timeframe","period_start")
);
--> statement-breakpoint
CREATE TABLE "bar_restatements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"source" text NOT NULL,
	"detected_at" bigint NOT NULL,
	"count" integer NOT NULL,
	"from_time" bigint NOT NULL,
	"to_time" bigint NOT NULL,
	"applied" text NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "corporate_actions" (
	"symbol" text NOT NULL,
	"kind" text NOT NULL,
	"time" bigint NOT NULL,
	"value" double precision NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "corporate_actions_symbol_kind_time_pk" PRIMARY KEY("symbol","kind","time")
);
--> statement-breakpoint
ALTER TABLE "bar_quarantine" ADD COLUMN "time" bigint;--> statement-breakpoint
ALTER TABLE "bar_quarantine" ADD COLUMN "action" text DEFAULT 'quarantined' NOT NULL;--> statement-breakpoint
ALTER TABLE "bar_quarantine" ADD COLUMN "bar" jsonb;--> statement-breakpoint
CREATE INDEX "bar_restatements_symbol" ON "bar_restatements" USING btree ("symbol","detected_at");--> statement-breakpoint
CREATE INDEX "bar_quarantine_time" ON "bar_quarantine" USING btree ("symbol","timeframe","time");