// drizzle-kit: `npm run db:generate` writes SQL migrations into migrations/ from src/db/schema.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/*.ts',
  out: './migrations',
});
