import type { Locator, Page } from "@playwright/test";
import { chooseSandboxAccount } from "../../sandbox/browser-login";

export type { ProviderId } from "../../lib/providers/registry";
import type { ProviderId } from "../../lib/providers/registry";
/** The Google data panels the page streams in (components/google/google-panels.tsx). */
export type GooglePanelId = "profile" | "drive" | "calendar" | "gmail";

/**
 * The Connected accounts settings page, as a test drives it. Locators only: assertions stay in the
 * specs. Add a method here when a second spec needs the same step.
 */
export class ConnectedAccountsPage {
  static readonly path = "/settings/connected-accounts";

  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto(ConnectedAccountsPage.path);
  }

  /** A provider's card: its linked accounts, their chips and health, and Connect/Disconnect/Reconnect. */
  card(provider: ProviderId): Locator {
    return this.page.getByTestId(`provider-card-${provider}`);
  }

  /** A Google data panel once it has rendered (`data-state` is "ok" or the error code it shows). */
  panel(id: GooglePanelId): Locator {
    // The one on screen: while a refresh streams in, React can hold a hidden copy of a panel.
    return this.page.getByTestId(`google-panel-${id}`).filter({ visible: true });
  }

  /** After Connect, Reconnect or Grant access: continues on the sandbox's login page as `email`. */
  /** `deny`: scopes to untick on the sandbox Google's consent screen (granular consent). */
  async chooseSandboxAccount(email: string, options: { deny?: readonly string[] } = {}): Promise<void> {
    await chooseSandboxAccount(this.page, email, options);
  }
}
