import { SubmitButton } from "@/components/ui/submit-button";
import { ProviderIcon } from "./provider-icon";

export type SignInOption = {
  id: string;
  label: string;
  icon: { path: string; color: string };
  sandbox: boolean;
  /** Who this button signs in as, when known (e.g. the linked accounts on Confirm it's you). */
  detail?: string;
};

type SignInButtonsProps = {
  options: readonly SignInOption[];
  /** Posted with each button, besides `provider`. */
  fields: Readonly<Record<string, string>>;
  action: (formData: FormData) => Promise<void>;
};

/** One "Continue with <provider>" form per option, posting to `action`. */
export function SignInButtons({ options, fields, action }: SignInButtonsProps) {
  return (
    <ul className="flex flex-col gap-3">
      {options.map((option) => (
        <li key={option.id}>
          <form action={action}>
            <input type="hidden" name="provider" value={option.id} />
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <SubmitButton className="w-full py-3" pendingLabel="Opening…">
              <ProviderIcon icon={option.icon} />
              <span className="flex min-w-0 flex-col items-start sm:flex-row sm:items-baseline sm:gap-2">
                <span className="whitespace-nowrap">Continue with {option.label}</span>
                {option.detail ? (
                  <span className="max-w-full truncate font-normal text-zinc-500 dark:text-zinc-400">
                    {option.detail}
                  </span>
                ) : null}
              </span>
              {option.sandbox ? (
                <span className="ml-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-normal text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                  sandbox
                </span>
              ) : null}
            </SubmitButton>
          </form>
        </li>
      ))}
    </ul>
  );
}
