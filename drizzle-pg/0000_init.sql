CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"broker" text NOT NULL,
	"currency" text NOT NULL,
	"cash" numeric(24, 2) NOT NULL,
	"initial_cash" numeric(24, 2) NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"time" bigint NOT NULL,
	"kind" text NOT NULL,
	"order_id" text,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bars" (
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"time" bigint NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" double precision NOT NULL,
	CONSTRAINT "bars_symbol_timeframe_time_pk" PRIMARY KEY("symbol","timeframe","time")
);
--> statement-breakpoint
CREATE TABLE "equity_history" (
	"account_id" text NOT NULL,
	"time" bigint NOT NULL,
	"nav" numeric(24, 2) NOT NULL,
	CONSTRAINT "equity_history_account_id_time_pk" PRIMARY KEY("account_id","time")
);
--> statement-breakpoint
CREATE TABLE "fills" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"account_id" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"quantity" double precision NOT NULL,
	"price" double precision NOT NULL,
	"commission" numeric(24, 2) NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"asset_class" text NOT NULL,
	"currency" text NOT NULL,
	"exchange" text NOT NULL,
	"tick_size" double precision NOT NULL,
	"lot_size" double precision NOT NULL,
	"session" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"broker_order_id" text,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"type" text NOT NULL,
	"quantity" double precision NOT NULL,
	"limit_price" double precision,
	"stop_price" double precision,
	"time_in_force" text NOT NULL,
	"stop_loss" double precision,
	"take_profit" double precision,
	"parent_id" text,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"filled_quantity" double precision NOT NULL,
	"avg_fill_price" double precision,
	"reject_reason" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"account_id" text NOT NULL,
	"symbol" text NOT NULL,
	"quantity" double precision NOT NULL,
	"avg_price" double precision NOT NULL,
	"realized_pnl" numeric(24, 2) NOT NULL,
	CONSTRAINT "positions_account_id_symbol_pk" PRIMARY KEY("account_id","symbol")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "strategies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"enabled" boolean NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fills" ADD CONSTRAINT "fills_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_order" ON "audit_log" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "fills_account_time" ON "fills" USING btree ("account_id","time");--> statement-breakpoint
CREATE INDEX "fills_order" ON "fills" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_account_created" ON "orders" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_status" ON "orders" USING btree ("status");