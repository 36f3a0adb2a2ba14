CREATE TABLE "watchlists" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"symbols" jsonb NOT NULL,
	"position" integer NOT NULL,
	"created_at" bigint NOT NULL
);
