import { Button } from "@/components/ui/button";
import { ProviderIcon } from "./provider-icon";

export type SignInOption = { id: string; label: string; icon: { path: string; color: string }; sandbox: boolean };

type SignInButtonsProps = {
  options: readonly SignInOption[];
  callbackUrl: string;
  action: (formData: FormData) => Promise<void>;
};

export function SignInButtons({ options, callbackUrl, action }: SignInButtonsProps) {
  return (
    <ul className="flex flex-col gap-3">
      {options.map((option) => (
        <li key={option.id}>
          <form action={action}>
            <input type="hidden" name="provider" value={option.id} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <Button type="submit" variant="secondary" className="w-full py-3">
              <ProviderIcon icon={option.icon} />
              <span>Continue with {option.label}</span>
              {option.sandbox ? (
                <span className="ml-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-normal text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                  sandbox
                </span>
              ) : null}
            </Button>
          </form>
        </li>
      ))}
    </ul>
  );
}
