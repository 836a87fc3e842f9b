/**
 * /invite/:token: an invitation link. Signed out, the page says what the link is for and offers
 * sign-in or sign-up right here, then comes back to itself; signed in, one click joins the
 * project and goes to it. Invalid, used, revoked and expired links are a 404.
 */
import { notFound } from "next/navigation";
import { SignInForm } from "~/components/auth/SignInForm";
import { auth } from "~/server/auth";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { previewInvitation, type InvitationPreview } from "~/server/invitations/preview-invitation";
import { AcceptInvitation } from "./AcceptInvitation";

export const dynamic = "force-dynamic";
export const metadata = {
  title: "Invitation · Visual-CCC",
  referrer: "no-referrer" as const,
  robots: { index: false },
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let preview: InvitationPreview;
  try {
    preview = await previewInvitation({ db, token });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const session = await auth();
  return (
    <div className="auth-box panel" data-testid="invitation">
      <h1>Join “{preview.projectName}”</h1>
      <p>
        You are invited as <span className="badge">{preview.role}</span>. The link expires on{" "}
        {preview.expiresAt.toLocaleDateString("en-GB")}.
      </p>
      {session?.user ? (
        <AcceptInvitation token={token} email={session.user.email ?? ""} />
      ) : (
        <SignInForm embedded redirectTo={`/invite/${token}`} />
      )}
    </div>
  );
}
