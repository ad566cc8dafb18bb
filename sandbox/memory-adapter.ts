/** oidc-provider storage in plain Maps, so the control endpoint can expire and revoke tokens. */
type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  exp?: number;
  consumed?: number;
};

/** Every model's entries, as saved to and read from the sandbox's state file. */
export type StoreSnapshot = Record<string, [string, Payload][]>;

export class MemoryStore {
  readonly models = new Map<string, Map<string, Payload>>();

  constructor(saved?: StoreSnapshot) {
    for (const [name, entries] of Object.entries(saved ?? {})) this.models.set(name, new Map(entries));
  }

  /** The entries still alive (expired ones are left out), for the state file. */
  snapshot(): StoreSnapshot {
    const now = Math.floor(Date.now() / 1000);
    return Object.fromEntries(
      [...this.models].map(([name, entries]) => [
        name,
        [...entries].filter(([, payload]) => payload.exp === undefined || payload.exp > now),
      ]),
    );
  }

  model(name: string): Map<string, Payload> {
    let entries = this.models.get(name);
    if (!entries) this.models.set(name, (entries = new Map()));
    return entries;
  }

  adapterFor = (name: string) => {
    const entries = this.model(name);
    const revokeGrant = (grantId: string) => this.revokeGrant(grantId);
    return {
      async upsert(id: string, payload: Payload, expiresIn?: number) {
        entries.set(id, { ...payload, ...(expiresIn ? { exp: Math.floor(Date.now() / 1000) + expiresIn } : {}) });
      },
      async find(id: string) {
        return entries.get(id);
      },
      async findByUid(uid: string) {
        return [...entries.values()].find((payload) => payload.uid === uid);
      },
      async findByUserCode(userCode: string) {
        return [...entries.values()].find((payload) => payload.userCode === userCode);
      },
      async consume(id: string) {
        const payload = entries.get(id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id: string) {
        entries.delete(id);
      },
      async revokeByGrantId(grantId: string) {
        revokeGrant(grantId);
      },
    };
  };

  /** Deletes every token of a grant, and the grant itself. */
  revokeGrant(grantId: string): void {
    for (const entries of this.models.values()) {
      for (const [id, payload] of entries) {
        if (payload.grantId === grantId || (payload.jti === grantId && payload.kind === "Grant")) entries.delete(id);
      }
    }
  }
}
