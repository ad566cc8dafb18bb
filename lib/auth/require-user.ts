import "server-only";
import { redirect } from "next/navigation";
import { currentSession } from "./session";

export type SignedInUser = {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
  sessionId: string;
};

/** The signed-in user, or undefined for a signed-out visitor. */
export async function signedInUser(): Promise<SignedInUser | undefined> {
  const session = await currentSession();
  const user = session?.user;
  if (!session?.sessionId || !user?.id) return undefined;
  return {
    id: user.id,
    name: user.name ?? null,
    email: user.email ?? null,
    image: user.image ?? null,
    sessionId: session.sessionId,
  };
}

/** The signed-in user, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireUser(returnTo = "/"): Promise<SignedInUser> {
  return (await signedInUser()) ?? redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
}
