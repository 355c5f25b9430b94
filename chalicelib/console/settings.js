// The business's settings (admin only): clock and money, booking rules, deposits and fees, how long the waitlist's
// offers are held, who takes a booking for any staff member, who the business texts and how often, each service's
// deposit, closed days, each staff member's weight and priority, the rooms and equipment that services need, and the
// business's locations.
import { allLocations, api, forgetLocations, session } from "./api.js";
import { act, field, h, select, showDone } from "./dom.js";
import { has, t } from "./i18n.js";
import { deposits } from "./services.js";

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
      ["holdMinutes", "number"],
      ["maxUnpaidHolds", "number"],
      ["maxUpcoming", "number"],
      ["noShowGraceMinutes", "number"],
    ],
  ],
  [
    "settings.fees",
    [
      ["depositPolicy", "depositPolicy"],
      ["depositPercent", "number"],
      ["depositMisses", "number"],
      ["depositMonths", "number"],
      ["lateCancelHours", "number"],
      ["lateCancelFeePercent", "number"],
      ["noShowFeePercent", "number"],
      ["feesOwed", "check"],
    ],
  ],
  ["settings.waitlist", [["waitlistOfferMinutes", "number"]]],
  ["settings.anyStaff", [["assignment", "assignment"]]],
  ["settings.texts", [["alertPhone", "tel"], ["smsCountries", "codes"], ["textsPerNumberPerDay", "number"], ["textsPerCustomerPerDay", "number"]]],
];

// The settings chosen from a list: each choice's label is `<prefix>.<choice>`.
const CHOICES = {
  assignment: ["policy", ["fewest-minutes", "weighted", "priority", "returning"]],
  depositPolicy: ["depositPolicy", ["none", "everyone", "new-customers", "missed-appointments"]],
};

// A setting as its input holds it ("true"/"false" for a checkbox), to tell an edited field from an untouched one.
function shown(kind, value) {
  if (kind === "codes") return (value || []).join(", ");
  if (kind === "check") return String(Boolean(value));
  return String(value ?? "");
}

const typed = (input, kind) => (kind === "check" ? String(input.checked) : input.value);

function refill(input, kind, text) {
  if (kind === "check") input.checked = text === "true";
  else input.value = text;
}

function control(name, kind, value) {
  if (kind in CHOICES) {
    const [prefix, choices] = CHOICES[kind];
    return select(name, choices.map((c) => [c, t(`${prefix}.${c}`)]), value, { "data-setting": name });
  }
  if (kind === "check") return h("input", { type: "checkbox", name, checked: value === "true", "data-setting": name });
  return h("input", { type: kind === "codes" ? "text" : kind, name, value, "data-setting": name });
}

// What the API takes: a number or a boolean as such (it refuses "5" or "true"), a list of codes, or text.
function read(kind, raw) {
  if (kind === "number") return raw.trim() === "" ? raw : Number(raw);
  if (kind === "check") return raw === "true";
  if (kind === "codes") return raw.split(",").map((c) => c.trim()).filter(Boolean);
  return raw.trim();
}

function labelled(name, kind, value) {
  const input = control(name, kind, value);
  const hint = has(`settings.${name}Hint`) ? t(`settings.${name}Hint`) : null;
  if (kind === "check") return h("label", { class: "check" }, input, h("span", {}, t(`settings.${name}`), hint ? h("small", {}, hint) : null));
  return field(t(`settings.${name}`), input, hint);
}

export async function show(ctx) {
  const [{ settings }, { closures }, { staff }, { resources }, { services }, places] = await Promise.all([
    api.get("/admin/settings"),
    api.get("/admin/closures"),
    api.get("/admin/staff"),
    api.get("/admin/resources"),
    api.get("/appointments/services"),
    allLocations(),
  ]);
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "settings" },
    GROUPS.map(([title, names]) => [
      h("h2", {}, t(title)),
      names.map(([name, kind]) => labelled(name, kind, shown(kind, settings[name]))),
    ]),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("settings.save"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const changed = {}; // only what the owner edited: an untouched field is never sent back
    for (const [, names] of GROUPS) {
      for (const [name, kind] of names) {
        const raw = typed(form.elements[name], kind);
        if (raw !== shown(kind, settings[name])) changed[name] = read(kind, raw);
      }
    }
    act(form.querySelector("button[type=submit]"), async () => {
      const saved = await api.put("/admin/settings", changed);
      Object.assign(settings, saved.settings); // what is stored now is what the next save compares with
      for (const [, names] of GROUPS) for (const [name, kind] of names) refill(form.elements[name], kind, shown(kind, settings[name]));
      showDone(t("settings.saved"));
    });
  });
  return h(
    "section",
    { class: "screen", "data-screen": "settings" },
    h("h1", {}, t("settings.title")),
    form,
    deposits(services),
    closed(closures, ctx),
    team(staff, places),
    rooms(resources, ctx, session.who.role === "admin"),
    branches(places, ctx),
  );
}

// The business's locations: its own (its settings above) and its branches, each with its own clock and phone; add
// one, retire one (the notice lists the appointments still ahead there, to move).
function branches(places, ctx) {
  const form = h(
    "form",
    { class: "form-grid", "data-form": "location" },
    field(t("locations.name"), h("input", { type: "text", name: "name", required: true, maxlength: 100 })),
    field(t("locations.address"), h("input", { type: "text", name: "address", maxlength: 300 })),
    field(t("locations.timezone"), h("input", { type: "text", name: "timezone", placeholder: "Asia/Shanghai", maxlength: 64 })),
    field(t("locations.phone"), h("input", { type: "tel", name: "phone", maxlength: 32 })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("locations.add"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    act(form.querySelector("button[type=submit]"), async () => {
      const { location } = await api.post("/admin/locations", data);
      forgetLocations();
      ctx.go("#/settings");
      showDone(t("locations.added", { name: location.name }));
    });
  });
  const retire = (p) =>
    h(
      "button",
      {
        type: "button",
        "data-action": "retire-location",
        onclick: (e) =>
          act(e.currentTarget, async () => {
            const { futureAppointments } = await api.delete(`/admin/locations/${encodeURIComponent(p.id)}`);
            forgetLocations();
            ctx.go("#/settings");
            const ahead = futureAppointments.map((a) => `${a.date} ${a.timeSlot} ${a.customerInfo.name}`);
            showDone(ahead.length ? t("locations.retiredWithOpen", { name: p.name, list: ahead.join(", ") }) : t("locations.retired", { name: p.name }));
          }),
      },
      t("locations.retire"),
    );
  const rows = places.map((p) =>
    h(
      "tr",
      { "data-location": p.id },
      h("td", {}, p.name),
      h("td", {}, p.address || ""),
      h("td", {}, p.timezone || t("locations.business")),
      h("td", {}, p.phone || ""),
      h("td", {}, p.id === "main" ? h("span", { class: "muted" }, t("locations.own")) : retire(p)),
    ),
  );
  const head = ["locations.name", "locations.address", "locations.timezone", "locations.phone"].map((k) => h("th", {}, t(k)));
  return h(
    "div",
    { class: "card", "data-card": "locations" },
    h("h2", {}, t("locations.title")),
    h("p", { class: "muted" }, t("locations.intro")),
    h("div", { class: "table-wrap" }, h("table", { "data-table": "locations" }, h("thead", {}, h("tr", {}, head, h("th", {}))), h("tbody", {}, rows))),
    form,
  );
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

// Each active staff member's weight and priority: what the "By weight" and "By priority" policies go by.
function team(staff, places) {
  const rows = staff.map((m) => {
    const home = select("locationId", places.map((p) => [p.id, p.name]), m.locationId || "main", { "aria-label": t("staff.home") });
    const weight = h("input", { type: "number", name: "weight", min: 1, max: 1000, value: m.weight, "aria-label": t("staff.weight") });
    const priority = h("input", { type: "number", name: "priority", min: 1, max: 5, value: m.priority, "aria-label": t("staff.priority") });
    const save = h(
      "button",
      {
        type: "button",
        "data-action": "save-staff",
        onclick: (e) =>
          act(e.currentTarget, async () => {
            const body = { weight: read("number", weight.value), priority: read("number", priority.value) };
            if (home.value !== (m.locationId || "main")) body.locationId = home.value;
            const saved = await api.put(`/admin/staff/${encodeURIComponent(m.id)}`, body);
            // Only this row changed: its inputs take the saved figures and the rest of the page stays as
            // the user left it (a redraw would drop what they are typing in another row).
            weight.value = saved.staff.weight;
            priority.value = saved.staff.priority;
            m.locationId = saved.staff.locationId;
            showDone(t("staff.saved", saved.staff));
          }),
      },
      t("staff.save"),
    );
    return h(
      "tr",
      { "data-staff": m.id },
      h("td", {}, m.name),
      h("td", {}, m.title || ""),
      h("td", {}, weight),
      h("td", {}, priority),
      places.length > 1 ? h("td", {}, home) : null,
      h("td", {}, save),
    );
  });
  const columns = ["staff.name", "staff.role", "staff.weight", "staff.priority", ...(places.length > 1 ? ["staff.home"] : [])];
  const head = columns.map((k) => h("th", {}, t(k)));
  return h(
    "div",
    { class: "card", "data-card": "staff" },
    h("h2", {}, t("staff.title")),
    h("p", { class: "muted" }, t("staff.intro")),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { "data-table": "staff" }, h("thead", {}, h("tr", {}, head, h("th", {}))), h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("staff.none")),
  );
}

// Rooms, chairs and equipment (active first): add one, rename one, retire one (the notice lists the appointments
// still holding it, to move). Only an admin may change them: anyone else sees the list alone.
function rooms(resources, ctx, admin) {
  const sorted = [...resources].sort((a, b) => Number(b.active) - Number(a.active));
  const types = [...new Set(resources.map((r) => r.type))].sort();
  const rows = sorted.map((r) => {
    const name = h("input", { type: "text", name: "name", value: r.name, maxlength: 100, "aria-label": t("resources.name") });
    const rename = h(
      "button",
      {
        type: "button",
        "data-action": "rename",
        onclick: (e) =>
          act(e.currentTarget, async () => {
            const { resource } = await api.put(`/admin/resources/${encodeURIComponent(r.id)}`, { name: name.value.trim() });
            ctx.go("#/settings");
            showDone(t("resources.renamed", { name: resource.name }));
          }),
      },
      t("resources.rename"),
    );
    const retire = h(
      "button",
      {
        type: "button",
        class: "danger",
        "data-action": "retire",
        onclick: (e) => {
          if (!window.confirm(t("resources.retireConfirm", { name: r.name }))) return;
          act(e.currentTarget, async () => {
            const retired = await api.delete(`/admin/resources/${encodeURIComponent(r.id)}`);
            const open = retired.futureAppointments.map(
              (a) => `${a.date} ${a.timeSlot} ${a.customerInfo?.name || ""} · ${a.serviceName} · ${a.staffName} (${t(`status.${a.status}`)})`,
            );
            ctx.go("#/settings");
            showDone(open.length ? t("resources.retiredWithOpen", { name: r.name, list: open.join(", ") }) : t("resources.retired", { name: r.name }));
          });
        },
      },
      t("resources.retire"),
    );
    const editable = admin && r.active;
    return h(
      "tr",
      { "data-resource": r.id, "data-name": r.name, class: r.active ? "" : "retired" },
      h("td", {}, editable ? h("div", { class: "inline" }, name, rename) : r.name),
      h("td", {}, r.type),
      h("td", {}, r.active ? t("resources.active") : t("resources.inactive")),
      admin ? h("td", {}, editable ? retire : null) : null,
    );
  });
  const form = h(
    "form",
    { class: "form-grid top", "data-form": "resource" },
    field(t("resources.name"), h("input", { type: "text", name: "name", required: true, maxlength: 100 })),
    field(
      t("resources.type"),
      h("input", { type: "text", name: "type", required: true, maxlength: 60, list: "resource-types", autocomplete: "off" }),
      t("resources.typeHint"),
    ),
    h("datalist", { id: "resource-types" }, types.map((type) => h("option", { value: type }))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("resources.add"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    act(form.querySelector("button[type=submit]"), async () => {
      const { resource } = await api.post("/admin/resources", { name: data.get("name").trim(), type: data.get("type").trim() });
      ctx.go("#/settings");
      showDone(t("resources.added", { name: resource.name }));
    });
  });
  const head = ["resources.name", "resources.type", "resources.state"].map((k) => h("th", {}, t(k)));
  return h(
    "div",
    { class: "card", "data-card": "resources" },
    h("h2", {}, t("resources.title")),
    h("p", { class: "muted" }, t("resources.intro")),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { "data-table": "resources" }, h("thead", {}, h("tr", {}, head, admin ? h("th", {}) : null)), h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("resources.none")),
    admin ? form : null,
  );
}
