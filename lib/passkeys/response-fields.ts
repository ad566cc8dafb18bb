import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { jsonText } from "../request-fields";

// A browser's WebAuthn answer arrives as one JSON form field. Its shape is checked here; what it
// says (signatures, challenge, origin, flags) is checked by @simplewebauthn/server.

const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, "not base64url");

const json = jsonText(65_536);

const credential = {
  id: base64url.min(1).max(1_400),
  rawId: base64url.min(1).max(1_400),
  type: z.literal("public-key"),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

export const registrationResponseField = json.pipe(
  z.looseObject({
    ...credential,
    response: z.looseObject({
      clientDataJSON: base64url,
      attestationObject: base64url,
      transports: z.array(z.string().max(32)).max(10).optional(),
    }),
  }),
) as unknown as z.ZodType<RegistrationResponseJSON>;

export const authenticationResponseField = json.pipe(
  z.looseObject({
    ...credential,
    response: z.looseObject({
      clientDataJSON: base64url,
      authenticatorData: base64url,
      signature: base64url,
      userHandle: base64url.optional(),
    }),
  }),
) as unknown as z.ZodType<AuthenticationResponseJSON>;

/** What the user calls a passkey: one line of ordinary text. */
export const passkeyNameField = z
  .string()
  .trim()
  .max(60, "at most 60 characters")
  .regex(/^[^\p{C}]*$/u, "no control characters")
  .transform((name) => name || "Passkey");
