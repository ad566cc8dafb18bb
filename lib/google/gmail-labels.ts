import type { GmailLabel } from "./api";

// Gmail names its system labels in capitals (INBOX, CATEGORY_SOCIAL); its own web app shows words.
const systemLabelNames: Record<string, string> = {
  INBOX: "Inbox",
  SENT: "Sent",
  IMPORTANT: "Important",
  STARRED: "Starred",
  UNREAD: "Unread",
  DRAFT: "Drafts",
  SPAM: "Spam",
  TRASH: "Trash",
  CHAT: "Chat",
  CATEGORY_PERSONAL: "Primary",
  CATEGORY_SOCIAL: "Social",
  CATEGORY_PROMOTIONS: "Promotions",
  CATEGORY_UPDATES: "Updates",
  CATEGORY_FORUMS: "Forums",
};

/** The label as a person reads it: system labels in words, the user's own labels as they named them. */
export function gmailLabelName(label: Pick<GmailLabel, "name" | "type">): string {
  if (label.type !== "system") return label.name;
  if (Object.hasOwn(systemLabelNames, label.name)) return systemLabelNames[label.name]!;
  const words = label.name
    .replace(/^CATEGORY_/, "")
    .replaceAll("_", " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
