// The business's settings (admin only): clock and money, booking rules, and who the business texts and how often.
import { api } from "./api.js";
import { act, field, h, showDone } from "./dom.js";
import { t } from "./i18n.js";

// Each setting: its API name and the kind of input; grouped as the owner thinks of them.
const GROUPS = [
  ["settings.business", [["name", "text"], ["timezone", "text"], ["currency", "text"], ["country", "text"], ["businessPhone", "tel"]]],
  [
    "settings.booking",
    [
      ["slotInterval", "number"],
      ["bufferBefore", "number"],
      ["bufferAfter", "number"],
      ["minNoticeMinutes", "number"],
      ["maxDaysAhead", "number"],
      ["cancelCutoffHours", "number"],
      ["lateCancelRefundPercent", "number"],
      ["holdMinutes", "number"],
      ["maxUnpaidHolds", "number"],
      ["maxUpcoming", "number"],
      ["noShowGraceMinutes", "number"],
    ],
  ],
  ["settings.texts", [["alertPhone", "tel"], ["smsCountries", "codes"], ["textsPerNumberPerDay", "number"], ["textsPerCustomerPerDay", "number"]]],
];

const shown = (kind, value) => (kind === "codes" ? (value || []).join(", ") : String(value ?? ""));

function read(kind, raw) {
  if (kind === "number") return raw.trim() === "" ? raw : Number(raw);
  if (kind === "codes") return raw.split(",").map((c) => c.trim()).filter(Boolean);
  return raw.trim();
}

export async function show(ctx) {
  const [{ settings }, { closures }] = await Promise.all([api.get("/admin/settings"), api.get("/admin/closures")]);
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "settings" },
    GROUPS.map(([title, names]) => [
      h("h2", {}, t(title)),
      names.map(([name, kind]) =>
        field(
          t(`settings.${name}`),
          h("input", { type: kind === "codes" ? "text" : kind, name, value: shown(kind, settings[name]), "data-setting": name }),
        ),
      ),
    ]),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("settings.save"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const changed = {}; // only what the owner edited: an untouched field is never sent back
    for (const [, names] of GROUPS) {
      for (const [name, kind] of names) {
        const raw = form.elements[name].value;
        if (raw !== shown(kind, settings[name])) changed[name] = read(kind, raw);
      }
    }
    act(form.querySelector("button[type=submit]"), async () => {
      const saved = await api.put("/admin/settings", changed);
      Object.assign(settings, saved.settings); // what is stored now is what the next save compares with
      for (const [, names] of GROUPS) for (const [name, kind] of names) form.elements[name].value = shown(kind, settings[name]);
      showDone(t("settings.saved"));
    });
  });
  return h("section", { class: "screen", "data-screen": "settings" }, h("h1", {}, t("settings.title")), form, closed(closures, ctx));
}

// Days the whole business is closed (holidays): nobody is bookable then.
function closed(closures, ctx) {
  const form = h(
    "form",
    { class: "form-grid", "data-form": "closure" },
    field(t("field.date"), h("input", { type: "date", name: "date", required: true })),
    field(t("closures.name"), h("input", { type: "text", name: "name", maxlength: 100 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("closures.add"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    act(form.querySelector("button[type=submit]"), async () => {
      const added = await api.post("/admin/closures", { dates: [data.get("date")], name: data.get("name") || undefined });
      const open = added.openAppointments.map((a) => `${a.date} ${a.timeSlot} ${a.customerInfo.name} (${t(`status.${a.status}`)})`);
      ctx.go("#/settings");
      showDone(open.length ? t("closures.addedWithOpen", { list: open.join(", ") }) : t("closures.added"));
    });
  });
  const rows = closures.map((c) =>
    h(
      "tr",
      { "data-closure": c.date },
      h("td", {}, c.date),
      h("td", {}, c.name || ""),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            "data-action": "reopen",
            onclick: (e) =>
              act(e.currentTarget, async () => {
                await api.delete(`/admin/closures/${c.date}`);
                ctx.go("#/settings");
                showDone(t("closures.removed", { date: c.date }));
              }),
          },
          t("closures.remove"),
        ),
      ),
    ),
  );
  return h(
    "div",
    { class: "card", "data-card": "closures" },
    h("h2", {}, t("closures.title")),
    rows.length
      ? h("table", { "data-table": "closures" }, h("tbody", {}, rows))
      : h("p", { class: "empty" }, t("closures.none")),
    form,
  );
}
