"use client";

import { Component, type ReactNode } from "react";
import { PanelFrame } from "./panel-frame";

type Props = { id: string; title: string; children: ReactNode };

/**
 * Contains a panel that fails unexpectedly (the expected failures are typed and shown by the
 * panel itself): the rest of the page keeps working. The server logs the error.
 */
export class PanelErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <PanelFrame id={this.props.id} title={this.props.title} state="failed">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This panel could not be shown. The rest of the page works; reload to try again.
        </p>
      </PanelFrame>
    );
  }
}
