import { SubmitButton } from "@/components/ui/submit-button";

type ConnectButtonProps = {
  action: (formData: FormData) => Promise<void>;
  provider: string;
  scopes?: readonly string[];
  label: string;
  pendingLabel?: string;
  variant?: "primary" | "secondary";
};

/** Connect / Reconnect / Grant access: a form posting to the connect server action. */
export function ConnectButton({ action, provider, scopes = [], label, pendingLabel = "Opening…", variant = "secondary" }: ConnectButtonProps) {
  return (
    <form action={action}>
      <input type="hidden" name="provider" value={provider} />
      {scopes.length > 0 ? <input type="hidden" name="scopes" value={scopes.join(" ")} /> : null}
      <SubmitButton variant={variant} pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}
