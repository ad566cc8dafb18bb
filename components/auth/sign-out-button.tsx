import { Button } from "@/components/ui/button";

export function SignOutButton({ action, className }: { action: () => Promise<void>; className?: string }) {
  return (
    <form action={action}>
      <Button type="submit" variant="ghost" className={className}>
        Sign out
      </Button>
    </form>
  );
}
