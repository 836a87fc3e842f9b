/**
 * Collaboration in real Chromium, three browser contexts:
 * - A invites B by link (B accepts after signing up on the invitation page);
 * - (second test) an owner invites by email from the members panel: an existing account and an
 *   unused email get the same answer, another account cannot use the invitation, and the invitee
 *   joins only by accepting it on their projects page;
 * - A labels an image on the image page and B, looking at the same image, sees the label appear
 *   without reloading (tRPC subscription over SSE fed by Postgres LISTEN/NOTIFY), and sees A's
 *   presence badge;
 * - A shares the image's results; a third context without an account opens the link and sees the
 *   image and its overlays; A revokes the link and the page (and its bytes) answer 404.
 */
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { createProject, signUp, trpc } from "./helpers";

async function micrograph(): Promise<Buffer> {
  const size = 128;
  const grey = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - 40) ** 2 + (y - 50) ** 2 < 400 || (x - 90) ** 2 + (y - 80) ** 2 < 300;
      grey[y * size + x] = inside ? 200 + ((x * y) % 40) : 40 + ((x + y) % 30);
    }
  }
  return sharp(grey, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

async function imagesLoaded(page: Page, selector: string): Promise<number[]> {
  return page
    .locator(selector)
    .evaluateAll((imgs) =>
      Promise.all(
        (imgs as HTMLImageElement[]).map((img) =>
          img.complete
            ? Promise.resolve(img.naturalWidth)
            : new Promise<number>((r) => ((img.onload = () => r(img.naturalWidth)), (img.onerror = () => r(0)))),
        ),
      ),
    );
}

test("invite, label live, share read-only, revoke", async ({ browser }) => {
  const suffix = randomBytes(3).toString("hex");
  const alice = await (await browser.newContext()).newPage();
  await signUp(alice, `alice-${suffix}@lab.test`);
  const projectId = await createProject(alice, `Shared study ${suffix}`);

  const dataset = await trpc<{ id: string }>(alice.request, "mutation", "dataset.create", {
    projectId,
    name: "cycle 10",
  });
  await trpc(alice.request, "mutation", "labelClass.save", { projectId, name: "Dendrite", color: "#d62728" });
  const upload = await alice.request.post(`/api/projects/${projectId}/datasets/${dataset.id}/upload`, {
    multipart: { files: { name: "cell-a.png", mimeType: "image/png", buffer: await micrograph() } },
  });
  const imageId = ((await upload.json()) as { results: { imageId: string }[] }).results[0]!.imageId;
  await trpc(alice.request, "mutation", "analysis.run", { projectId, imageId, k: 3, model: null });

  // ---------- B joins through an invitation link ----------
  await alice.reload();
  await alice.getByLabel("Invitation role").selectOption("VIEWER");
  await alice.getByRole("button", { name: "Create invitation link" }).click();
  const invitationUrl = await alice.getByTestId("invitation-url").inputValue();
  const bob = await (await browser.newContext()).newPage();
  await bob.goto(invitationUrl);
  await expect(bob.getByTestId("invitation")).toContainText("VIEWER");
  await bob.getByText("Create one").click();
  await bob.getByPlaceholder("Email").fill(`bob-${suffix}@lab.test`);
  await bob.getByPlaceholder("Password (8+ characters)").fill("a long password");
  await bob.getByRole("button", { name: "Create account" }).click();
  await bob.getByRole("button", { name: "Accept invitation" }).click();
  await bob.waitForURL(new RegExp(`/projects/${projectId}$`));

  // ---------- live label and presence ----------
  const imageUrl = `/projects/${projectId}/images/${imageId}`;
  await bob.goto(imageUrl);
  await alice.goto(imageUrl);
  await expect(bob.getByTestId("current-label")).toHaveText("unlabelled");
  await expect(bob.getByTestId("live-feed")).toHaveAttribute("data-live-status", "pending");
  await expect(alice.getByTestId("live-feed")).toHaveAttribute("data-live-status", "pending");
  await expect(bob.getByTestId("presence-avatar")).toHaveCount(1);
  await expect(bob.getByTestId("presence-avatar")).toHaveAttribute("title", `alice-${suffix}@lab.test`);
  const clicked = Date.now();
  await alice.getByTestId("label-Dendrite").click();
  await expect(bob.getByTestId("current-label")).toHaveText("✓ Dendrite", { timeout: 5000 });
  const seenAfterMs = Date.now() - clicked;
  console.log(`B saw A's label ${seenAfterMs} ms after the click (no reload)`);
  expect(seenAfterMs).toBeLessThan(3000);
  await expect(bob.getByTestId("live-feed")).toContainText("labelled 1 image(s)");

  // ---------- A shares the image's results; C has no account ----------
  await alice.goto(`/projects/${projectId}`);
  const share = alice.getByTestId("share-panel");
  await share.getByLabel("Image to share").focus();
  await share.getByLabel("Image to share").selectOption({ label: "cell-a.png" });
  await share.getByRole("button", { name: "Create share link" }).click();
  const shareUrl = await alice.getByTestId("share-url").inputValue();
  expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);

  const carol = await (await browser.newContext()).newPage();
  const opened = await carol.goto(shareUrl);
  expect(opened?.status()).toBe(200);
  await expect(carol.getByTestId("shared-title")).toContainText("cell-a.png");
  await expect(carol.getByTestId("shared-label")).toContainText("Dendrite");
  const overlays = carol.getByTestId("shared-overlay");
  await expect(overlays).not.toHaveCount(0);
  expect((await imagesLoaded(carol, "[data-testid=shared-image]"))[0]).toBe(128);
  const overlayWidths = await imagesLoaded(carol, "[data-testid=shared-overlay]");
  expect(overlayWidths.every((w) => w > 0)).toBe(true);
  await carol.getByLabel("Opacity of segmentation").fill("0.8");
  await expect(carol.locator("[data-overlay=segmentation]")).toHaveCSS("opacity", "0.8");
  await carol.screenshot({ path: "test-results/e2e/shared-image.png", fullPage: true });
  // Read-only viewers may window the display too (in their browser only); the pointer shows raw values.
  await carol.getByTestId("window-max-value").fill("100");
  await expect(carol.getByTestId("shared-image-windowed")).toBeVisible();
  const viewer = (await carol.getByTestId("shared-viewer").boundingBox())!;
  await carol.mouse.move(viewer.x + viewer.width / 2, viewer.y + viewer.height / 2);
  await expect(carol.getByTestId("pixel-readout")).toContainText("(raw, 8-bit)");
  const overlaySrc = await overlays.first().getAttribute("src");
  // Nothing else: no member list, no project page, no write.
  await expect(carol.getByText(`bob-${suffix}@lab.test`)).toHaveCount(0);
  expect((await carol.request.get(`/api/images/${imageId}/original`)).status()).toBe(401);
  expect(
    (
      await carol.request.post(`/api/trpc/annotation.setImageLabels`, {
        data: { json: { projectId, imageIds: [imageId], labelClassId: null } },
      })
    ).status(),
  ).toBe(401);

  // ---------- A revokes: the page and its bytes answer 404 ----------
  await alice.getByTestId("share-link").getByRole("button", { name: "Revoke" }).click();
  await expect(alice.getByTestId("share-link")).toContainText("inactive");
  const afterRevoke = await carol.goto(shareUrl);
  expect(afterRevoke?.status()).toBe(404);
  expect((await carol.request.get(overlaySrc!)).status()).toBe(404);
});

test("members panel invites by email; the invitee joins only by accepting", async ({ browser }) => {
  const suffix = randomBytes(3).toString("hex");
  const dave = `dave-${suffix}@lab.test`;
  const erin = `erin-${suffix}@lab.test`;
  const owner = await (await browser.newContext()).newPage();
  await signUp(owner, `owner-${suffix}@lab.test`);
  const projectId = await createProject(owner, `Invited study ${suffix}`);

  // An existing account (Dave) and an email nobody uses get the same answer: an invitation.
  const davePage = await (await browser.newContext()).newPage();
  await signUp(davePage, dave);
  const invited: string[] = [];
  for (const email of [dave, `nobody-${suffix}@lab.test`]) {
    await owner.getByLabel("Member email").fill(email);
    await owner.getByLabel("New member role").selectOption("EDITOR");
    await owner.getByRole("button", { name: "Invite by email" }).click();
    await expect(owner.getByTestId("member-invited")).toContainText(`Invitation for ${email} created`);
    invited.push((await owner.getByTestId("member-invited").innerText()).replace(email, "EMAIL"));
  }
  expect(invited[0]!.replace(/\/invite\/\S+/, "")).toBe(invited[1]!.replace(/\/invite\/\S+/, ""));
  await expect(owner.getByTestId("invitations-panel")).toContainText(dave);
  // Not a member yet.
  await expect(owner.getByLabel(`Role of ${dave}`)).toHaveCount(0);

  // Another account (Erin) neither sees it nor can use its link.
  const link = await owner.getByTestId("member-invitation-url").inputValue();
  const erinPage = await (await browser.newContext()).newPage();
  await signUp(erinPage, erin);
  await expect(erinPage.getByTestId("my-invitations")).toHaveCount(0);
  await erinPage.goto(link);
  await erinPage.getByRole("button", { name: "Accept invitation" }).click();
  await expect(erinPage.getByTestId("invitation")).toContainText("sent to another email address");

  // Dave accepts from his projects page and lands in the project.
  await davePage.reload();
  const mine = davePage.getByTestId("my-invitation");
  await expect(mine).toContainText(`Invited study ${suffix}`);
  await expect(mine).toContainText("EDITOR");
  await mine.getByRole("button", { name: "Accept" }).click();
  await davePage.waitForURL(new RegExp(`/projects/${projectId}$`));
  await owner.reload();
  await expect(owner.getByLabel(`Role of ${dave}`)).toHaveValue("EDITOR");
});
