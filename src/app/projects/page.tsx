import { redirect } from "next/navigation";
import { MyInvitations } from "~/components/invitations/MyInvitations";
import { ProjectList } from "~/components/projects/ProjectList";
import { auth } from "~/server/auth";

export default async function ProjectsPage() {
  if (!(await auth())) redirect("/sign-in");
  return (
    <>
      <MyInvitations />
      <ProjectList />
    </>
  );
}
