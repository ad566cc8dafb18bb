import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

/** The frame every Google panel shares, whatever its state: data, a fix, loading, or failed. */
export function PanelFrame({
  id,
  title,
  state,
  children,
}: {
  id: string;
  title: string;
  state: string;
  children: ReactNode;
}) {
  return (
    <Card padded={false} className="p-5">
      <section
        aria-labelledby={`panel-${id}-${state}`}
        data-testid={state === "loading" ? `google-panel-${id}-loading` : `google-panel-${id}`}
        data-state={state}
      >
        <h3 id={`panel-${id}-${state}`} className="mb-3 text-sm font-semibold">
          {title}
        </h3>
        {children}
      </section>
    </Card>
  );
}
