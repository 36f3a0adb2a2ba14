CREATE TABLE "bar_quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"source" text NOT NULL,
	"row" bigint NOT NULL,
	"reason" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "bar_quarantine_symbol" ON "bar_quarantine" USING btree ("symbol","timeframe");