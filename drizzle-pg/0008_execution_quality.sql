CREATE TABLE "fill_quality" (
	"fill_id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"account_id" text NOT NULL,
	"venue" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"quantity" double precision NOT NULL,
	"sent_at" bigint NOT NULL,
	"time" bigint NOT NULL,
	"arrival_bid" double precision NOT NULL,
	"arrival_ask" double precision NOT NULL,
	"arrival_mid" double precision NOT NULL,
	"spread" double precision NOT NULL,
	"fill_price" double precision NOT NULL,
	"pip_size" double precision NOT NULL,
	"slippage" double precision NOT NULL,
	"slippage_pips" double precision NOT NULL,
	"slippage_bps" double precision NOT NULL,
	"slippage_cost" numeric(24, 2),
	"currency" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "positions" ADD COLUMN "financing" numeric(24, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "fill_quality" ADD CONSTRAINT "fill_quality_fill_id_fills_id_fk" FOREIGN KEY ("fill_id") REFERENCES "public"."fills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fill_quality_account_time" ON "fill_quality" USING btree ("account_id","time");