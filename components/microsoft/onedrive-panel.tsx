import { ConnectButton } from "@/components/connected-accounts/connect-button";
import { Card } from "@/components/ui/card";
import { listRecentOneDriveFiles, ONEDRIVE_SCOPE } from "@/lib/microsoft";
import { connectedAccountErrorText, formatDate } from "@/lib/words";

/**
 * Recent OneDrive files, read on the server with the user's Microsoft account (Graph through
 * fetchAs). It asks for Files.Read only when shown (incremental consent); a claims challenge
 * (Continuous Access Evaluation) offers to sign in to Microsoft again with those claims.
 */
export async function OneDrivePanel({
  userId,
  connectAction,
}: {
  userId: string;
  connectAction: (formData: FormData) => Promise<void>;
}) {
  const result = await listRecentOneDriveFiles(userId);
  return (
    <Card padded={false} className="p-5">
      <section
        aria-labelledby="panel-onedrive"
        data-testid="microsoft-panel-onedrive"
        data-state={result.ok ? "ok" : result.error.code}
      >
        <h3 id="panel-onedrive" className="mb-3 text-sm font-semibold">
          Recent OneDrive files
        </h3>
        {result.ok ? (
          result.files.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No recent files.</p>
          ) : (
            <ul className="space-y-1.5 text-sm">
              {result.files.map((file) => (
                <li key={file.id} className="flex items-baseline justify-between gap-3">
                  <a
                    href={file.webUrl}
                    className="min-w-0 truncate underline-offset-2 hover:underline"
                    rel="noreferrer"
                  >
                    {file.name}
                  </a>
                  <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">
                    {formatDate(new Date(file.lastModifiedDateTime))}
                  </span>
                </li>
              ))}
            </ul>
          )
        ) : result.error.code === "missing_scopes" ? (
          <div className="space-y-3">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              This needs your permission to <strong className="font-medium">see your OneDrive files</strong>.
            </p>
            <ConnectButton
              action={connectAction}
              provider="microsoft-entra-id"
              purpose="consent"
              scopes={[ONEDRIVE_SCOPE]}
              label="Grant access"
              variant="primary"
            />
          </div>
        ) : result.error.claimsChallenge ? (
          <div className="space-y-3">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Microsoft asks you to sign in again to go on.</p>
            <ConnectButton
              action={connectAction}
              provider="microsoft-entra-id"
              purpose="consent"
              claims={result.error.claimsChallenge}
              label="Sign in to Microsoft again"
              variant="primary"
            />
          </div>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{connectedAccountErrorText(result.error.code)}</p>
        )}
      </section>
    </Card>
  );
}
