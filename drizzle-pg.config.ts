import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'postgresql', schema: './src-main/adapters/postgres/schema.ts', out: './drizzle-pg' });
