import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

// A WebAuthn authenticator in a few lines of node:crypto, for tests of the server side: it makes a
// P-256 credential ("none" attestation) and signs assertions with whatever counter, flags,
// origin or challenge a test asks for, including the wrong ones.

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

type Ceremony = { challenge: string; origin: string; rpId: string };
type Flags = { userVerified?: boolean };

export class SoftwareAuthenticator {
  readonly credentialId = isoBase64URL.fromBuffer(randomBytes(32));
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter: number;

  constructor(counter = 0) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" }));
    this.counter = counter;
  }

  /** A copy of this key in another authenticator, which has counted to `counter`. */
  clone(counter: number): SoftwareAuthenticator {
    const copy = Object.create(SoftwareAuthenticator.prototype) as SoftwareAuthenticator;
    Object.assign(copy, this, { counter });
    return copy;
  }

  register({ challenge, origin, rpId }: Ceremony, flags: Flags = {}) {
    const jwk = this.publicKey.export({ format: "jwk" });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    const id = Buffer.from(this.credentialId, "base64url");
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      this.authenticatorData(rpId, AT | this.flags(flags)),
      Buffer.alloc(16),
      idLength,
      id,
      Buffer.from(isoCBOR.encode(coseKey)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", new Uint8Array(authData)],
      ]) as never,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData("webauthn.create", challenge, origin),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ["internal" as const],
      },
    };
  }

  /** Signs an assertion, counting one more use first. */
  assert({ challenge, origin, rpId }: Ceremony, flags: Flags = {}, userHandle?: string) {
    this.counter += 1;
    const authenticatorData = this.authenticatorData(rpId, this.flags(flags));
    const clientDataJSON = clientData("webauthn.get", challenge, origin);
    const signed = Buffer.concat([
      authenticatorData,
      createHash("sha256").update(Buffer.from(clientDataJSON, "base64url")).digest(),
    ]);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        authenticatorData: authenticatorData.toString("base64url"),
        signature: sign("sha256", signed, this.privateKey).toString("base64url"),
        ...(userHandle ? { userHandle: isoBase64URL.fromUTF8String(userHandle) } : {}),
      },
    };
  }

  private flags({ userVerified = true }: Flags): number {
    return UP | (userVerified ? UV : 0);
  }

  private authenticatorData(rpId: string, flags: number): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([createHash("sha256").update(rpId).digest(), Buffer.from([flags]), counter]);
  }
}

function clientData(type: string, challenge: string, origin: string): string {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString("base64url");
}
