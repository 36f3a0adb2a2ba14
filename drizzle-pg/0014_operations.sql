CREATE TABLE "config_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"time" bigint NOT NULL,
	"subject" text NOT NULL,
	"source" text NOT NULL,
	"hash" text NOT NULL,
	"text" text NOT NULL,
	"diff" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hook_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"hook" text NOT NULL,
	"event" text NOT NULL,
	"key" text NOT NULL,
	"payload" text NOT NULL,
	"created_at" bigint NOT NULL,
	"attempts" integer NOT NULL,
	"next_at" bigint NOT NULL,
	"last_error" text,
	"delivered_at" bigint
);
--> statement-breakpoint
CREATE INDEX "config_versions_subject" ON "config_versions" USING btree ("subject","id");--> statement-breakpoint
CREATE UNIQUE INDEX "hook_outbox_key" ON "hook_outbox" USING btree ("hook","key");--> statement-breakpoint
CREATE INDEX "hook_outbox_due" ON "hook_outbox" USING btree ("delivered_at","next_at");