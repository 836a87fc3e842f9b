import { redirect } from "next/navigation";
import { SignInForm } from "~/components/auth/SignInForm";
import { auth } from "~/server/auth";
import { serverEnv } from "~/server/env";

/** Only same-site paths: an absolute or protocol-relative URL would be an open redirect. */
function safeRedirect(value: string | string[] | undefined): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/projects";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const redirectTo = safeRedirect((await searchParams).callbackUrl);
  if (await auth()) redirect(redirectTo);
  const env = serverEnv();
  const oidc = env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID ? env.AUTH_OIDC_NAME : null;
  return <SignInForm oidcName={oidc} redirectTo={redirectTo} />;
}
