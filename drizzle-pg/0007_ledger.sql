CREATE TABLE "ledger_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"account_id" text NOT NULL,
	"date" text NOT NULL,
	"type" text NOT NULL,
	"symbol" text,
	"source" text NOT NULL,
	"source_ref" text,
	"data" jsonb NOT NULL,
	CONSTRAINT "ledger_transactions_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_tx_source_ref" ON "ledger_transactions" USING btree ("account_id","source","source_ref");--> statement-breakpoint
CREATE INDEX "ledger_tx_account_date" ON "ledger_transactions" USING btree ("account_id","date");