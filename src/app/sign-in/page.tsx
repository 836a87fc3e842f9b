import { redirect } from "next/navigation";
import { safeRedirectPath } from "~/core/safe-redirect";
import { SignInForm } from "~/components/auth/SignInForm";
import { auth } from "~/server/auth";
import { serverEnv } from "~/server/env";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const redirectTo = safeRedirectPath((await searchParams).callbackUrl);
  if (await auth()) redirect(redirectTo);
  const env = serverEnv();
  const oidc = env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID ? env.AUTH_OIDC_NAME : null;
  return <SignInForm oidcName={oidc} redirectTo={redirectTo} />;
}
