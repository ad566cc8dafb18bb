import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";

export default function ConsentLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader />
      {children}
    </>
  );
}
