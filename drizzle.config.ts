import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'sqlite', schema: './src-main/adapters/sqlite/schema.ts', out: './drizzle' });
