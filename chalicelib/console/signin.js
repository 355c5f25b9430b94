// Signing in: locally the dev login (the `local` stage only; 404 elsewhere), everywhere a pasted staff token.
import { api, session } from "./api.js";
import { act, field, h, showError } from "./dom.js";
import { t } from "./i18n.js";

// A token is kept only if the API accepts it for a staff route.
async function accept(token) {
  session.start(token);
  try {
    await api.get("/dashboard");
  } catch (error) {
    session.end();
    throw error;
  }
}

export function screen(done) {
  const local = h("button", { type: "button", class: "primary", "data-action": "dev-login" }, t("signin.local"));
  local.addEventListener("click", () =>
    act(local, async () => {
      const { token } = await api.post("/auth/dev-login", { role: "staff", name: "Front Desk" });
      await accept(token);
      done();
    }),
  );
  const pasted = h("textarea", { name: "token", rows: 3, spellcheck: "false", autocomplete: "off" });
  const form = h(
    "form",
    { class: "form-grid", "data-form": "token" },
    field(t("signin.token"), pasted, t("signin.tokenHint")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("signin.useToken"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = pasted.value.trim().replace(/^Bearer\s+/i, "");
    if (!token) {
      showError({ code: "INVALID_INPUT", message: t("signin.tokenMissing"), fields: { token: "required" } });
      return;
    }
    act(form.querySelector("button[type=submit]"), async () => {
      await accept(token);
      done();
    });
  });
  return h(
    "section",
    { class: "screen signin card", "data-screen": "signin" },
    h("h1", {}, t("signin.title")),
    h("p", {}, t("signin.intro")),
    h("div", { class: "actions" }, local),
    h("p", { class: "muted" }, t("signin.localHint")),
    form,
  );
}
