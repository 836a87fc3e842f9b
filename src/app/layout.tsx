import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "~/components/layout/AppHeader";
import { auth } from "~/server/auth";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Visual-CCC",
  description: "Classify, explain, segment and cluster micrographs, together.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <AppHeader email={session?.user.email ?? null} />
          <main>{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
