import { SubmitButton } from "@/components/ui/submit-button";

type ConnectButtonProps = {
  action: (formData: FormData) => Promise<void>;
  provider: string;
  /** "link" adds an account; "consent" asks again for one already linked (Reconnect, Grant access). */
  purpose: "link" | "consent";
  scopes?: readonly string[];
  /** A provider's claims challenge to sign in with (lib/connected-accounts/connect-url.ts). */
  claims?: string;
  label: string;
  pendingLabel?: string;
  variant?: "primary" | "secondary";
};

/** Connect / Reconnect / Grant access: a form posting to the connect server action. */
export function ConnectButton({
  action,
  provider,
  purpose,
  scopes = [],
  claims,
  label,
  pendingLabel = "Opening…",
  variant = "secondary",
}: ConnectButtonProps) {
  return (
    <form action={action}>
      <input type="hidden" name="provider" value={provider} />
      <input type="hidden" name="purpose" value={purpose} />
      {scopes.length > 0 ? <input type="hidden" name="scopes" value={scopes.join(" ")} /> : null}
      {claims ? <input type="hidden" name="claims" value={claims} /> : null}
      <SubmitButton variant={variant} pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}
