import "server-only";
import type { z } from "zod";
import { takeRateLimit, type RateLimitBucket } from "../rate-limit";
import { fieldsByName } from "../request-fields";
import { requireUser, type SignedInUser } from "../auth/require-user";

/** Why an action was refused before it ran. */
export type ActionRefusal = "rate_limited" | "invalid_request";

type ActionOptions<Schema extends z.ZodType, Refused> = {
  /** Every form field the action reads: it is handed only what this schema parsed. */
  schema: Schema;
  /** How the page hears of a refusal: a state to return (a toast), or a redirect (never returns). */
  refuse: (code: ActionRefusal) => Refused;
};

type UserActionOptions<Schema extends z.ZodType, Refused> = ActionOptions<Schema, Refused> & {
  /** Where signing in comes back to, when the user is signed out. */
  page: string;
  rateLimit?: RateLimitBucket;
};

/** A form action, `(formData)`, or a useActionState action, `(previous, formData)`. */
type ActionArgs = [formData: FormData] | [previous: unknown, formData: FormData];

/**
 * A server action in the shape every action takes, since each is a public endpoint: the signed-in
 * user (or a redirect to sign in), the rate limit, every field validated, and only then `run`.
 */
export function userAction<Schema extends z.ZodType, Result, Refused = never>(
  options: UserActionOptions<Schema, Refused>,
  run: (input: z.infer<Schema>, user: SignedInUser) => Promise<Result>,
): (...args: ActionArgs) => Promise<Result | Refused> {
  return async (...args) => {
    const user = await requireUser(options.page);
    if (options.rateLimit && !(await takeRateLimit(user.id, options.rateLimit)).ok)
      return options.refuse("rate_limited");
    const input = options.schema.safeParse(formFields(args));
    return input.success ? run(input.data, user) : options.refuse("invalid_request");
  };
}

/** The same for the one action a signed-out visitor may call (signing in): fields validated, then `run`. */
export function formAction<Schema extends z.ZodType, Result, Refused = never>(
  options: ActionOptions<Schema, Refused>,
  run: (input: z.infer<Schema>) => Promise<Result>,
): (...args: ActionArgs) => Promise<Result | Refused> {
  return async (...args) => {
    const input = options.schema.safeParse(formFields(args));
    return input.success ? run(input.data) : options.refuse("invalid_request");
  };
}

function formFields(args: ActionArgs): Record<string, FormDataEntryValue> {
  return fieldsByName(args.length === 1 ? args[0] : args[1]);
}
