// The day (every staff member side by side, or every room) and the week (one staff member), on one time axis.
import { allServices, allStaff, api, businessToday, here, session } from "./api.js";
import { act, addDays, clock, dayName, field, h, minutes, mondayOf, select, showDone } from "./dom.js";
import { t } from "./i18n.js";
import * as waitlist from "./waitlist.js";

const PX_PER_MINUTE = 1.2;

export async function day(ctx) {
  const today = await businessToday();
  const date = ctx.params.get("date") || today;
  const [{ overview }, waiting, services] = await Promise.all([
    api.get("/appointments/schedule/overview", { date, ...here() }),
    waitlist.line(date).catch((error) => ({ error })), // the day is still shown when its waitlist is not
    allServices(),
  ]);
  const rooms = overview.resources || [];
  const by = rooms.length ? session.dayBy : "staff"; // with no rooms there is only the day by staff
  const columns =
    by === "room"
      ? rooms.map((room) => ({
          key: room.id,
          title: room.name,
          subtitle: `${room.type} · ${t("day.roomFree", { free: room.freeMinutes })}`,
          workingHours: [],
          ...room,
        }))
      : overview.staff.map((member) => ({ key: member.id, title: member.name, ...member }));
  const go = (d) => ctx.go(`#/today?date=${d}`);
  const show = (value) => {
    session.dayBy = value;
    ctx.refresh();
  };
  return h(
    "section",
    { class: "screen", "data-screen": "day", "data-by": by },
    h("h1", {}, t("day.title"), " ", h("span", { class: "muted", "data-testid": "day-date" }, `${date} · ${dayName(date, "long")}`)),
    dayNavigation(date, today, go, rooms.length ? byToggle(by, show) : null),
    h("p", { class: "totals", "data-testid": "day-totals" }, by === "room" ? roomTotals(rooms) : staffTotals(overview.totals)),
    timeline(columns, ctx, by, today),
    waitlist.panel(waiting, { services, staff: overview.staff, today, ctx }),
    blockForm(overview.staff, rooms, date, by, ctx),
  );
}

function staffTotals(totals) {
  return t("day.totals", {
    appointments: totals.appointments,
    blocks: totals.blocks,
    booked: totals.bookedMinutes,
    free: totals.freeMinutes,
  });
}

// The rooms' own figures: appointments holding any (one that holds two counts once), their blocks, their free time.
function roomTotals(rooms) {
  const holding = new Set(rooms.flatMap((room) => room.appointments.map((a) => a.id)));
  return t("day.roomTotals", {
    rooms: rooms.length,
    appointments: holding.size,
    blocks: rooms.reduce((sum, room) => sum + room.blocks.length, 0),
    free: rooms.reduce((sum, room) => sum + room.freeMinutes, 0),
  });
}

// By staff or by room: two buttons, the one shown pressed.
function byToggle(by, show) {
  const choice = (value, key) =>
    h("button", { type: "button", "aria-pressed": String(by === value), "data-by": value, onclick: () => show(value) }, t(key));
  return h("div", { class: "toggle", role: "group", "aria-label": t("day.show") }, choice("staff", "day.byStaff"), choice("room", "day.byRoom"));
}

export async function week(ctx) {
  const staff = await allStaff();
  const staffId = ctx.params.get("staff") || staff[0]?.id;
  const today = await businessToday();
  const start = mondayOf(ctx.params.get("date") || today);
  const end = addDays(start, 6);
  const { schedule } = await api.get(`/appointments/staff/${encodeURIComponent(staffId)}/schedule`, {
    startDate: start,
    endDate: end,
    ...here(),
  });
  const columns = schedule.map((d) => ({ key: d.date, title: dayName(d.date), today: d.date === today, ...d }));
  const go = (params) => ctx.go(`#/week?staff=${params.staff ?? staffId}&date=${params.date ?? start}`);
  return h(
    "section",
    { class: "screen", "data-screen": "week" },
    h("h1", {}, t("week.title"), " ", h("span", { class: "muted" }, `${start} – ${end}`)),
    h(
      "div",
      { class: "toolbar" },
      field(
        t("field.staff"),
        select("staff", staff.map((m) => [m.id, m.name]), staffId, { onchange: (e) => go({ staff: e.target.value }) }),
      ),
      h("button", { type: "button", onclick: () => go({ date: addDays(start, -7) }) }, "‹ ", t("week.previous")),
      h("button", { type: "button", onclick: () => go({ date: today }) }, t("week.this")),
      h("button", { type: "button", onclick: () => go({ date: addDays(start, 7) }) }, t("week.next"), " ›"),
    ),
    timeline(columns, ctx, "staff", today),
  );
}

function dayNavigation(date, today, go, toggle) {
  return h(
    "div",
    { class: "toolbar" },
    h("button", { type: "button", onclick: () => go(addDays(date, -1)) }, "‹ ", t("day.previous")),
    h("button", { type: "button", onclick: () => go(today), disabled: date === today }, t("day.today")),
    h("button", { type: "button", onclick: () => go(addDays(date, 1)) }, t("day.next"), " ›"),
    h("input", { type: "date", value: date, "aria-label": t("field.date"), onchange: (e) => e.target.value && go(e.target.value) }),
    toggle,
  );
}

// Columns of working hours (or a room's free time), appointments and blocks on a shared time axis (the union of
// everyone's hours).
function timeline(columns, ctx, by, today) {
  let first = 9 * 60;
  let last = 18 * 60;
  for (const column of columns) {
    for (const range of [...column.workingHours, ...(column.free || []), ...column.blocks, ...column.appointments.map(span)]) {
      first = Math.min(first, minutes(range.start));
      last = Math.max(last, minutes(range.end === "00:00" ? "24:00" : range.end));
    }
  }
  first = Math.floor(first / 60) * 60;
  last = Math.min(24 * 60, Math.ceil(last / 60) * 60);
  const height = (last - first) * PX_PER_MINUTE;
  const place = (start, end) => ({
    top: `${(minutes(start) - first) * PX_PER_MINUTE}px`,
    height: `${Math.max(18, (minutes(end === "00:00" ? "24:00" : end) - minutes(start)) * PX_PER_MINUTE)}px`,
  });
  const style = (box) => `top:${box.top};height:${box.height}`;
  const hours = [];
  for (let m = first; m < last; m += 60) hours.push(m);
  return h(
    "div",
    { class: `calendar${columns.some((c) => c.subtitle) ? " subtitled" : ""}`, style: `--columns:${columns.length}` },
    h(
      "div",
      { class: "axis", style: `height:${height}px` },
      hours.map((m) => h("span", { style: `top:${(m - first) * PX_PER_MINUTE}px` }, clock(m))),
    ),
    columns.map((column) =>
      h(
        "div",
        { class: `column${column.today ? " today" : ""}`, "data-column": column.key },
        h("div", { class: "column-head" }, column.title, column.subtitle ? h("small", {}, column.subtitle) : null),
        h(
          "div",
          { class: "column-body", style: `height:${height}px` },
          hours.map((m) => h("i", { class: "hour-line", style: `top:${(m - first) * PX_PER_MINUTE}px` })),
          column.workingHours.map((r) => h("div", { class: "working", style: style(place(r.start, r.end)) })),
          by === "room"
            ? column.free.map((r) =>
                h("div", { class: "free", style: style(place(r.start, r.end)), "data-free": `${r.start}-${r.end}` }, h("small", {}, t("day.free"), ` ${r.start}–${r.end}`)),
              )
            : null,
          column.blocks.map((b) =>
            h(
              "div",
              { class: "block", style: style(place(b.start, b.end)), "data-block": b.id },
              h("b", {}, `${b.start}–${b.end} `, t("block.blocked")),
              h("span", {}, b.reason || ""),
              h(
                "button",
                {
                  type: "button",
                  class: "small",
                  onclick: (e) =>
                    act(e.currentTarget, async () => {
                      await api.delete(`/appointments/schedule/unblock/${encodeURIComponent(b.id)}`);
                      showDone(t("block.removed", { start: b.start, end: b.end }));
                      ctx.refresh();
                    }),
                },
                t("block.unblock"),
              ),
            ),
          ),
          column.appointments.map((a) =>
            h(
              "a",
              {
                class: `appointment status-${a.status}${waitlist.isOpenOffer(a) ? " offered" : ""}`,
                href: `#/appointment/${a.id}`,
                style: style(place(a.timeSlot, a.endTime)),
                "data-appointment": a.id,
                title: [
                  `${a.timeSlot}–${a.endTime} ${a.customerInfo?.name || ""}`,
                  a.serviceName,
                  a.staffName,
                  ...(a.resources || []).map((r) => r.name),
                  t(`status.${a.status}`),
                ].join(" · "),
              },
              h("b", {}, `${a.timeSlot} ${a.customerInfo?.name || ""}`),
              h("span", {}, `${a.serviceName} · ${t(`status.${a.status}`)}`),
              by === "room" ? h("span", {}, a.staffName) : null,
              a.resources?.length ? h("span", { class: "rooms", "data-rooms": "" }, a.resources.map((r) => r.name).join(", ")) : null,
              waitlist.mark(a, today),
              processing(a),
            ),
          ),
        ),
      ),
    ),
  );
}

// The stretches of a service in which the staff member is free (a colour processing): drawn inside it.
function processing(appointment) {
  let offset = 0;
  const bands = [];
  for (const segment of appointment.segments || []) {
    if (segment.staffFree) {
      bands.push(
        h(
          "i",
          {
            class: "processing",
            style: `top:${offset * PX_PER_MINUTE}px;height:${segment.minutes * PX_PER_MINUTE}px`,
            title: segment.label || t("day.processing"),
          },
          t("day.processing"),
        ),
      );
    }
    offset += segment.minutes;
  }
  return bands;
}

function span(appointment) {
  return { start: appointment.timeSlot, end: appointment.endTime };
}

// A staff member's time, or (when there are rooms) a room's or equipment's: maintenance, a deep clean.
function blockForm(staff, rooms, date, by, ctx) {
  const target = by === "room" ? "resource" : "staff";
  const who = field(t("field.staff"), select("staffId", staff.map((m) => [m.id, m.name]), staff[0]?.id));
  const what = field(t("field.room"), select("resourceId", rooms.map((r) => [r.id, `${r.name} · ${r.type}`]), rooms[0]?.id));
  const pick = (value) => {
    who.hidden = value !== "staff";
    what.hidden = value !== "resource";
  };
  pick(rooms.length ? target : "staff");
  const choice = (value, key) =>
    h(
      "label",
      { class: "check" },
      h("input", { type: "radio", name: "target", value, checked: value === (rooms.length ? target : "staff"), onchange: () => pick(value) }),
      t(key),
    );
  const form = h(
    "form",
    { class: "card form-grid", "data-form": "block" },
    h("h2", {}, t("block.title")),
    rooms.length ? h("fieldset", { class: "choice" }, h("legend", {}, t("block.target")), choice("staff", "block.staff"), choice("resource", "block.room")) : null,
    who,
    rooms.length ? what : null,
    field(t("field.date"), h("input", { type: "date", name: "date", value: date, required: true })),
    field(t("field.start"), h("input", { type: "time", name: "start", step: 300, required: true })),
    field(t("field.end"), h("input", { type: "time", name: "end", step: 300, required: true })),
    field(t("field.reason"), h("input", { type: "text", name: "reason", maxlength: 200 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("block.submit"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const owner = data.target === "resource" ? { resourceId: data.resourceId } : { staffId: data.staffId };
    act(form.querySelector("button[type=submit]"), async () => {
      await api.post("/appointments/schedule/block", {
        ...owner,
        date: data.date,
        timeSlot: { start: data.start, end: data.end },
        reason: data.reason,
      });
      showDone(t("block.added", { start: data.start, end: data.end }));
      if (data.date === date) ctx.refresh();
      else ctx.go(`#/today?date=${data.date}`);
    });
  });
  return form;
}
