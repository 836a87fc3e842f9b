import type { Metadata } from "next";

/** Shared pages carry a secret in their URL: never send it on as a Referer, never index it. */
export const sharedPageMetadata: Metadata = {
  title: "Shared from Visual-CCC",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};
