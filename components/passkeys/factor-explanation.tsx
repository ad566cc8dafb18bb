import type { ReverificationFactor } from "@/lib/auth";

/** Which factor "Confirm it's you" asks for, and why that one (lib/auth/reverification.ts). */
export function factorExplanation(factor: ReverificationFactor): { heading: string; why: string } {
  const names =
    factor.kind === "passkey" || factor.kind === "none" ? "" : factor.providers.map((p) => p.label).join(" or ");
  switch (factor.kind) {
    case "passkey":
      return {
        heading: "We will ask for your passkey.",
        why: "It is the strongest way you have to confirm: it needs your device and its fingerprint, face or PIN, so nobody can use it from a laptop you left unlocked.",
      };
    case "provider-sign-in":
      return {
        heading: `We will ask you to sign in to ${names} again.`,
        why: `${names} asks for your password again and tells us when you signed in; only a sign-in made just now counts. Add a passkey in Security to confirm with your device instead.`,
      };
    case "provider-approval":
      return {
        heading: `We will ask ${names} to confirm it is you.`,
        why: `It is the only way you have: ${names} may approve without asking for your password, so this proves less. Add a passkey in Security for a real confirmation.`,
      };
    case "none":
      return {
        heading: "There is no way to confirm it is you.",
        why: "Your account has no passkey and no linked account that could confirm it. Sign out and sign in again.",
      };
  }
}

export function FactorExplanation({ factor }: { factor: ReverificationFactor }) {
  const { heading, why } = factorExplanation(factor);
  return (
    <div className="rounded-xl bg-zinc-50 p-4 text-sm dark:bg-zinc-800/60">
      <p className="font-medium">{heading}</p>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">{why}</p>
    </div>
  );
}
