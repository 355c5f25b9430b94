// Webhooks (admins only): the addresses the business's events are sent to, each subscription's state and secrets,
// subscribe (the secret shown once), pause and resume, edit, rotate the secret (the new one shown once), remove; and
// each subscription's delivery log, page by page, with a replay per delivery.
import { api, session } from "./api.js";
import { act, field, h, showDone } from "./dom.js";
import { has, t } from "./i18n.js";

const REASONS = { "paused by an admin": "webhooks.reason.admin", "every delivery failed for a day": "webhooks.reason.failing" };
const POLL_MS = 3000; // while a delivery shown is pending, the log reads its first page again this often

// A secret the API has just answered: shown by the next screen drawn, then forgotten (the API never shows it again).
let fresh = null;

export async function show(ctx) {
  const screen = (...body) => h("section", { class: "screen", "data-screen": "webhooks" }, ...body);
  if (session.who.role !== "admin") return screen(h("h1", {}, t("webhooks.title")), h("p", { class: "empty" }, t("webhooks.adminsOnly")));
  const revealed = fresh;
  fresh = null;
  const zone = (await api.get("/admin/settings")).settings.timezone;
  const when = (stamp) => clockOf(stamp, zone);
  if (ctx.id) {
    const [{ subscription }, { eventTypes }] = await Promise.all([api.get(`/webhooks/${encodeURIComponent(ctx.id)}`), api.get("/webhooks")]);
    return screen(
      h("p", {}, h("a", { href: "#/webhooks", "data-action": "all-webhooks" }, "← ", t("webhooks.all"))),
      h("h1", {}, t("webhooks.logTitle")),
      revealed ? secretPanel(revealed, when) : null,
      card(subscription, eventTypes, ctx, when, false),
      await log(subscription, when),
    );
  }
  const { subscriptions, eventTypes } = await api.get("/webhooks");
  return screen(
    h("h1", {}, t("webhooks.title")),
    h("p", { class: "muted" }, t("webhooks.intro")),
    revealed ? secretPanel(revealed, when) : null,
    subscriptions.length ? subscriptions.map((s) => card(s, eventTypes, ctx, when, true)) : h("p", { class: "empty card" }, t("webhooks.none")),
    createForm(eventTypes, ctx),
  );
}

// An instant of the API (ISO, with its offset) on the business's clock: "2026-12-03 14:05".
function clockOf(stamp, zone) {
  if (!stamp) return "—";
  try {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(stamp));
    const p = Object.fromEntries(parts.map(({ type, value }) => [type, value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  } catch {
    return stamp.slice(0, 16).replace("T", " ");
  }
}

const typeLabel = (type) => (has(`webhooks.type.${type}`) ? t(`webhooks.type.${type}`) : type);

// The event types as checkboxes, those given ticked.
function typeChoices(eventTypes, ticked) {
  return h(
    "fieldset",
    { class: "choice types", "data-field": "types" },
    h("legend", {}, t("webhooks.types")),
    eventTypes.map((type) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "types", value: type, checked: ticked.includes(type) }),
        h("span", {}, h("code", {}, type), h("small", {}, typeLabel(type))),
      ),
    ),
  );
}

// What the API said is wrong, next to each field it names (the notice above says it too).
function clearFieldErrors(form) {
  form.querySelectorAll(".field-error").forEach((e) => e.remove());
  form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
}

function markFields(form, error) {
  const named = Object.entries(error.fields || {});
  for (const [name, what] of named) {
    const spot = form.querySelector(`[data-field="${name}"]`);
    if (!spot) continue;
    const words = named.length === 1 && error.message ? error.message : `${name}: ${what}`;
    spot.querySelectorAll("input").forEach((input) => input.setAttribute("aria-invalid", "true"));
    spot.append(h("small", { class: "field-error", "data-error-for": name, role: "alert" }, words));
  }
}

// A form's submit: busy while it runs; a refusal shown next to its fields and in the notice.
function submitting(form, action) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    act(form.querySelector("button[type=submit]"), async () => {
      try {
        await action(new FormData(form));
      } catch (error) {
        markFields(form, error);
        throw error;
      }
    });
  });
  return form;
}

function urlField(value) {
  return h(
    "label",
    { class: "field wide", "data-field": "url" },
    h("span", {}, t("webhooks.url")),
    h("input", { type: "url", name: "url", value, required: true, maxlength: 2000, placeholder: "https://crm.example.com/hooks/slotbook" }),
    h("small", {}, t("webhooks.urlHint")),
  );
}

function descriptionField(value) {
  return h(
    "label",
    { class: "field wide", "data-field": "description" },
    h("span", {}, t("webhooks.description")),
    h("input", { type: "text", name: "description", value, maxlength: 200 }),
  );
}

function createForm(eventTypes, ctx) {
  const form = h(
    "form",
    { class: "card form-grid top", "data-form": "webhook", novalidate: true },
    h("h2", {}, t("webhooks.add")),
    urlField(""),
    descriptionField(""),
    typeChoices(eventTypes, []),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("webhooks.subscribe"))),
  );
  return submitting(form, async (data) => {
    const body = { url: data.get("url").trim(), types: data.getAll("types") };
    const description = data.get("description").trim();
    if (description) body.description = description;
    const { subscription, secret } = await api.post("/webhooks", body);
    fresh = { subscription, secret, rotated: false };
    ctx.go("#/webhooks");
    showDone(t("webhooks.created", { url: subscription.url }));
  });
}

// The secret the API just gave, once: copy it now, it is never shown again.
function secretPanel({ subscription, secret, rotated }, when) {
  const value = h("input", { type: "text", readonly: true, value: secret, "data-secret": subscription.id, "aria-label": t("webhooks.secret"), spellcheck: "false" });
  const copy = h(
    "button",
    {
      type: "button",
      "data-action": "copy-secret",
      onclick: async () => {
        value.select();
        try {
          await navigator.clipboard.writeText(secret);
        } catch {
          document.execCommand("copy"); // the clipboard API refused (no permission): the selection is copied
        }
        copy.textContent = t("webhooks.copied");
      },
    },
    t("webhooks.copy"),
  );
  const panel = h(
    "div",
    { class: "card secret-panel", "data-panel": "secret", role: "status" },
    h("h2", {}, t(rotated ? "webhooks.secretRotated" : "webhooks.secretNew", { url: subscription.url })),
    h("p", { class: "once" }, h("b", {}, t("webhooks.once"))),
    h("div", { class: "secret-row" }, value, copy),
    rotated && subscription.previousSecretUntil
      ? h("p", {}, t("webhooks.overlapUntil", { until: when(subscription.previousSecretUntil) }))
      : rotated
        ? h("p", {}, t("webhooks.noOverlap"))
        : null,
    h(
      "p",
      { class: "muted" },
      t("webhooks.verify"),
      " ",
      h("code", {}, "webhook-id"),
      ", ",
      h("code", {}, "webhook-timestamp"),
      ", ",
      h("code", {}, "webhook-signature"),
      ". ",
      t("webhooks.verifyWith"),
      " ",
      h("code", {}, "Webhook(secret).verify(body, headers)"),
    ),
    h("button", { type: "button", "data-action": "hide-secret", onclick: () => panel.remove() }, t("webhooks.saved")),
  );
  return panel;
}

function stateBadge(s) {
  return h("span", { class: `status status-${s.state}`, "data-state": s.state }, t(`webhooks.state.${s.state}`));
}

function signing(s, when) {
  if (s.secretsSigning > 1 && s.previousSecretUntil) return t("webhooks.signingTwo", { until: when(s.previousSecretUntil) });
  return t("webhooks.signingOne");
}

// One subscription: what it sends where, its health, and what an admin does with it.
function card(s, eventTypes, ctx, when, listed) {
  const here = listed ? "#/webhooks" : `#/webhooks/${encodeURIComponent(s.id)}`;
  const path = `/webhooks/${encodeURIComponent(s.id)}`;
  const reason = REASONS[s.pausedReason] ? t(REASONS[s.pausedReason]) : s.pausedReason || "";
  const facts = [
    ["webhooks.state", stateBadge(s)],
    ["webhooks.types", h("ul", { class: "types-list" }, s.types.map((type) => h("li", {}, h("code", {}, type), " ", h("small", { class: "muted" }, typeLabel(type)))))],
    ["webhooks.failingSince", s.failingSince ? h("span", { class: "failing" }, when(s.failingSince)) : "—"],
    ["webhooks.signing", signing(s, when)],
    ["webhooks.createdAt", when(s.createdAt)],
  ];
  const edit = editForm(s, eventTypes, ctx, here, path);
  const rotate = rotateForm(s, ctx, here, path);
  const toggle = (form) => () => {
    const opening = form.hidden;
    edit.hidden = rotate.hidden = true;
    form.hidden = !opening;
    if (opening) form.querySelector("input")?.focus();
  };
  const paused = s.state === "paused";
  const actions = h(
    "div",
    { class: "actions" },
    listed ? h("a", { class: "button primary", href: `#/webhooks/${encodeURIComponent(s.id)}`, "data-action": "deliveries" }, t("webhooks.deliveries")) : null,
    h(
      "button",
      {
        type: "button",
        "data-action": paused ? "resume" : "pause",
        onclick: (e) =>
          act(e.currentTarget, async () => {
            const { subscription } = await api.patch(path, { active: paused });
            ctx.go(here);
            showDone(t(subscription.active ? "webhooks.resumed" : "webhooks.paused", { url: subscription.url }));
          }),
      },
      t(paused ? "webhooks.resume" : "webhooks.pause"),
    ),
    h("button", { type: "button", "data-action": "edit", onclick: toggle(edit) }, t("webhooks.edit")),
    h("button", { type: "button", "data-action": "rotate", onclick: toggle(rotate) }, t("webhooks.rotate")),
    h(
      "button",
      {
        type: "button",
        class: "danger",
        "data-action": "delete",
        onclick: (e) => {
          if (!window.confirm(t("webhooks.deleteConfirm", { url: s.url }))) return;
          act(e.currentTarget, async () => {
            await api.delete(path);
            ctx.go("#/webhooks");
            showDone(t("webhooks.deleted", { url: s.url }));
          });
        },
      },
      t("webhooks.delete"),
    ),
  );
  return h(
    "article",
    { class: `card subscription${paused ? " paused" : ""}`, "data-subscription": s.id, "data-state": s.state },
    h("h2", {}, h("code", { class: "url" }, s.url)),
    s.description ? h("p", { class: "muted", "data-description": "" }, s.description) : null,
    paused
      ? h(
          "p",
          { class: "warning", "data-warning": "paused" },
          h("b", {}, t("webhooks.pausedSince", { since: when(s.pausedAt) })),
          " ",
          reason,
          h("small", {}, t("webhooks.pausedHint")),
        )
      : null,
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, t(k)), h("dd", { "data-fact": k }, v)])),
    actions,
    edit,
    rotate,
  );
}

function editForm(s, eventTypes, ctx, here, path) {
  const form = h(
    "form",
    { class: "form-grid top inset", "data-form": "edit-webhook", hidden: true, novalidate: true },
    h("h2", {}, t("webhooks.edit")),
    urlField(s.url),
    descriptionField(s.description || ""),
    typeChoices(eventTypes, s.types),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t("webhooks.save")),
      h("button", { type: "button", onclick: () => (clearFieldErrors(form), (form.hidden = true)) }, t("webhooks.cancel")),
    ),
  );
  return submitting(form, async (data) => {
    const body = { url: data.get("url").trim(), types: data.getAll("types"), description: data.get("description").trim() };
    const { subscription } = await api.patch(path, body);
    ctx.go(here);
    showDone(t("webhooks.changed", { url: subscription.url }));
  });
}

function rotateForm(s, ctx, here, path) {
  const form = h(
    "form",
    { class: "form-grid top inset", "data-form": "rotate", hidden: true, novalidate: true },
    h("h2", {}, t("webhooks.rotate")),
    h("p", { class: "muted" }, t("webhooks.rotateIntro")),
    h(
      "label",
      { class: "field", "data-field": "overlapHours" },
      h("span", {}, t("webhooks.overlapHours")),
      h("input", { type: "number", name: "overlapHours", min: 0, max: 168, step: 1, value: 24, required: true }),
      h("small", {}, t("webhooks.overlapHint")),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t("webhooks.rotateNow")),
      h("button", { type: "button", onclick: () => (clearFieldErrors(form), (form.hidden = true)) }, t("webhooks.cancel")),
    ),
  );
  return submitting(form, async (data) => {
    const raw = String(data.get("overlapHours")).trim();
    const { subscription, secret } = await api.post(`${path}/rotate`, { overlapHours: raw === "" ? raw : Number(raw) });
    fresh = { subscription, secret, rotated: true };
    ctx.go(here);
    showDone(t("webhooks.rotated", { url: subscription.url }));
  });
}

// The delivery log: newest first, page by page; the first page read again on Refresh, and every few seconds while a
// delivery shown is still pending (each row updated in place, new ones put on top).
async function log(s, when) {
  const path = `/webhooks/${encodeURIComponent(s.id)}/deliveries`;
  const first = await api.get(path);
  const body = h("tbody", {});
  const empty = h("p", { class: "empty" }, t("deliveries.none"));
  const more = h("button", { type: "button", "data-action": "more-deliveries" }, t("list.more"));
  let cursor = first.nextCursor;
  let polling = null;

  const shown = () => {
    empty.hidden = body.children.length > 0;
    table.hidden = !empty.hidden;
    more.hidden = !cursor;
  };
  // Read again later while a delivery is pending; stops once the log is off the page.
  const poll = () => {
    clearTimeout(polling);
    polling = null;
    if (body.querySelector("tr[data-status=pending]")) polling = setTimeout(() => body.isConnected && refresh(null, true), POLL_MS);
  };
  const place = (d) => {
    const made = row(d);
    const old = [...body.children].find((r) => r.dataset.delivery === d.id);
    if (old) old.replaceWith(made);
    return old ? null : made;
  };
  const replay = (d) => async (e) =>
    act(e.currentTarget, async () => {
      const { delivery } = await api.post(`${path}/${encodeURIComponent(d.id)}/replay`);
      place(delivery);
      showDone(t("deliveries.replayed", { type: delivery.eventType }));
      poll();
    });
  const row = (d) =>
    h(
      "tr",
      { "data-delivery": d.id, "data-status": d.status },
      h("td", { class: "at" }, when(d.eventAt)),
      h("td", {}, h("code", {}, d.eventType)),
      h(
        "td",
        {},
        h("a", { href: `#/appointment/${encodeURIComponent(d.appointmentId)}`, "data-appointment": d.appointmentId, title: d.appointmentId }, `${d.appointmentId.slice(0, 8)}…`),
      ),
      h("td", { class: "number" }, String(d.sequence)),
      h(
        "td",
        {},
        h("span", { class: `status status-${d.status}` }, t(`deliveries.status.${d.status}`)),
        d.replays ? h("small", { class: "muted", "data-replays": d.replays }, t("deliveries.replays", { count: d.replays })) : null,
      ),
      h("td", { class: "number", "data-attempts": d.attempts }, String(d.attempts)),
      h(
        "td",
        { class: "number" },
        h("span", { "data-code": d.lastStatusCode ?? "" }, d.lastStatusCode === null ? "—" : d.lastStatusCode === 0 ? t("deliveries.noAnswer") : String(d.lastStatusCode)),
        d.lastLatencyMs === null ? null : h("small", { class: "muted", "data-latency": d.lastLatencyMs }, `${d.lastLatencyMs} ms`),
      ),
      h("td", { class: "next" }, next(d, when)),
      h("td", { class: "error-text" }, d.lastError || ""),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            class: "small",
            "data-action": "replay",
            disabled: d.status === "pending",
            title: d.status === "pending" ? t("deliveries.replayPending") : t("deliveries.replayHint"),
            onclick: replay(d),
          },
          t("deliveries.replay"),
        ),
      ),
    );
  async function refresh(button, quiet) {
    const run = async () => {
      const page = await api.get(path);
      const added = page.deliveries.map(place).filter(Boolean);
      body.prepend(...added);
      if (!body.children.length || body.children.length === added.length) cursor = page.nextCursor;
      shown();
      poll();
    };
    if (!quiet) return act(button, run);
    try {
      await run();
    } catch {
      polling = null; // a quiet read that failed waits for the next Refresh
    }
  }
  more.addEventListener("click", () =>
    act(more, async () => {
      const page = await api.get(path, { cursor });
      body.append(...page.deliveries.map(place).filter(Boolean));
      cursor = page.nextCursor;
      shown();
    }),
  );
  body.append(...first.deliveries.map(row));
  const head = ["deliveries.eventAt", "deliveries.type", "deliveries.appointment", "deliveries.sequence", "field.status", "deliveries.attempts", "deliveries.code", "deliveries.next", "deliveries.error"];
  const table = h("div", { class: "table-wrap" }, h("table", { "data-table": "deliveries" }, h("thead", {}, h("tr", {}, head.map((k) => h("th", {}, t(k))), h("th", {}))), body));
  shown();
  poll();
  return h(
    "section",
    { class: "card", "data-card": "deliveries" },
    h(
      "div",
      { class: "toolbar spread" },
      h("h2", {}, t("deliveries.title")),
      h("button", { type: "button", "data-action": "refresh-deliveries", onclick: (e) => refresh(e.currentTarget, false) }, "↻ ", t("deliveries.refresh")),
    ),
    h("p", { class: "muted" }, t("deliveries.intro")),
    table,
    empty,
    more,
  );
}

// What comes next for a delivery: its next try, that it waits its turn, when it arrived, or that it was given up.
function next(d, when) {
  if (d.status === "delivered") return t("deliveries.deliveredAt", { at: when(d.deliveredAt) });
  if (d.status === "failed") return t("deliveries.gaveUp");
  return d.nextAttemptAt ? t("deliveries.nextAt", { at: when(d.nextAttemptAt) }) : t("deliveries.queued");
}
