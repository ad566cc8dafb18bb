import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader />
      {children}
    </>
  );
}
