CREATE TABLE "statements" (
	"symbol" text NOT NULL,
	"period" text NOT NULL,
	"period_end" text NOT NULL,
	"source" text NOT NULL,
	"report_date" text NOT NULL,
	"estimated" boolean DEFAULT false NOT NULL,
	"currency" text,
	"revenue" double precision,
	"gross_profit" double precision,
	"ebitda" double precision,
	"net_income" double precision,
	"eps" double precision,
	"total_equity" double precision,
	"total_debt" double precision,
	"cash" double precision,
	"shares_outstanding" double precision,
	"stored_at" bigint NOT NULL,
	CONSTRAINT "statements_symbol_period_period_end_source_report_date_pk" PRIMARY KEY("symbol","period","period_end","source","report_date")
);
--> statement-breakpoint
CREATE INDEX "statements_report" ON "statements" USING btree ("symbol","report_date");