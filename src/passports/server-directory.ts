// Port to the registry: issuance asks it whether `name` is a server of the caller and whether the
// TA holds a current proof for its origin, and whether an agent's origin is proven.
// src/wiring/passports-to-registry.ts implements it over the registry. Every method reads through the stores it
// is given — those of the signing transaction (on PGlite a read outside it would wait forever).
import type { Stores } from '../stores.js';

export interface DirectoryServer {
  /** `namespace/name`, e.g. `com.example/weather`. */
  name: string;
  /** The server's registered origin. */
  origin: string;
  /**
   * Null when the TA holds a current proof for `origin` (DESIGN.md §9); otherwise why not. A
   * server passport is only signed with a proven origin.
   */
  originUnproven: string | null;
  /** The server has a TA-signed tool manifest that is not yanked; L3 needs it too. */
  signedManifest: boolean;
}

export interface ServerDirectory {
  findServerForPublisher(
    stores: Stores,
    publisherId: string,
    name: string,
  ): Promise<DirectoryServer | undefined>;
  /**
   * Null when `origin` lies within a namespace the publisher holds verified (agents have no
   * per-origin admin approval); otherwise why the TA holds no proof for it.
   */
  agentOriginUnproven(stores: Stores, publisherId: string, origin: string): Promise<string | null>;
}

/** An in-memory directory, for tests and tools: servers, and the agent origins proven per publisher. */
export function inMemoryServerDirectory(
  entries: Array<DirectoryServer & { publisherId: string }>,
  provenAgentOrigins: Array<{ publisherId: string; origin: string }> = [],
): ServerDirectory {
  return {
    findServerForPublisher: async (_stores, publisherId, name) => {
      const e = entries.find((s) => s.publisherId === publisherId && s.name === name);
      return e
        ? {
            name: e.name,
            origin: e.origin,
            originUnproven: e.originUnproven,
            signedManifest: e.signedManifest,
          }
        : undefined;
    },
    agentOriginUnproven: async (_stores, publisherId, origin) =>
      provenAgentOrigins.some((o) => o.publisherId === publisherId && o.origin === origin)
        ? null
        : `${origin} is not proven for this publisher`,
  };
}
