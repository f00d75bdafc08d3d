// Column builders shared by the tables.
import { timestamp } from 'drizzle-orm/pg-core';

/** A point in time: `timestamp with time zone`, read as a Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
