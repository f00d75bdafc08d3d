// Port to the registry's servers: issuance asks it whether `name` is a server of the caller and
// whether its origin was proven. src/directories.ts implements it over the registry.
export interface DirectoryServer {
  /** `namespace/name`, e.g. `com.example/weather`. */
  name: string;
  origin: string | null;
  /** Origin control proven by the HTTP challenge; drives trust level 3. */
  originVerified: boolean;
  /** The server has a TA-signed tool manifest that is not yanked; L3 needs it too. */
  signedManifest: boolean;
  /**
   * Why the proof behind the server's origin is gone (its namespace was released, revoked or
   * moved): issuance and rotation are refused with 409 naming it. Absent or null while it stands.
   */
  originProblem?: string | null;
}

export interface ServerDirectory {
  findServerForPublisher(publisherId: string, name: string): Promise<DirectoryServer | undefined>;
}

/** A directory with no servers: server passports are refused as "unknown server". */
export const noServers: ServerDirectory = {
  findServerForPublisher: async () => undefined,
};

/** An in-memory directory, for tests and tools. */
export function inMemoryServerDirectory(entries: Array<DirectoryServer & { publisherId: string }>): ServerDirectory {
  return {
    findServerForPublisher: async (publisherId, name) => {
      const e = entries.find((s) => s.publisherId === publisherId && s.name === name);
      return e ? { name: e.name, origin: e.origin, originVerified: e.originVerified, signedManifest: e.signedManifest } : undefined;
    },
  };
}
