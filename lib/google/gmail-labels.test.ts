import { describe, expect, it } from "vitest";
import { gmailLabelName } from "./gmail-labels";

describe("gmailLabelName", () => {
  it("names system labels in words, as Gmail does", () => {
    expect(gmailLabelName({ name: "INBOX", type: "system" })).toBe("Inbox");
    expect(gmailLabelName({ name: "CATEGORY_SOCIAL", type: "system" })).toBe("Social");
    expect(gmailLabelName({ name: "DRAFT", type: "system" })).toBe("Drafts");
  });

  it("turns an unknown system label into words rather than showing capitals", () => {
    expect(gmailLabelName({ name: "CATEGORY_NEW_THING", type: "system" })).toBe("New thing");
  });

  it("keeps the user's own labels exactly, even one called INBOX or constructor", () => {
    expect(gmailLabelName({ name: "INBOX", type: "user" })).toBe("INBOX");
    expect(gmailLabelName({ name: "constructor", type: "system" })).toBe("Constructor");
  });
});
