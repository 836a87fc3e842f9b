import { redirect } from "next/navigation";
import { SignInForm } from "~/components/auth/SignInForm";
import { auth } from "~/server/auth";
import { serverEnv } from "~/server/env";

export default async function SignInPage() {
  if (await auth()) redirect("/projects");
  const env = serverEnv();
  const oidc = env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID ? env.AUTH_OIDC_NAME : null;
  return <SignInForm oidcName={oidc} />;
}
