CREATE TABLE "backtest_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"strategy" text NOT NULL,
	"summary" jsonb NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "backtest_runs_created" ON "backtest_runs" USING btree ("created_at");