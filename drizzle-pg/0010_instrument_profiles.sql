CREATE TABLE "instrument_profiles" (
	"symbol" text NOT NULL,
	"source" text NOT NULL,
	"sector" text,
	"industry" text,
	"asset_class" text,
	"country" text,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "instrument_profiles_symbol_source_pk" PRIMARY KEY("symbol","source")
);
