// Calls to the Slotbook API. The page is served at <base>/console: locally base is "", behind API Gateway
// it is the stage ("/api"), so every call goes to the same origin and stage as the page itself.
export const base = location.pathname.replace(/\/console(\/.*)?$/, "");

const TOKEN_KEY = "slotbook.console.token";
const DAY_BY_KEY = "slotbook.console.dayBy"; // the day by "staff" or by "room": kept while the tab is open
const LOCATION_KEY = "slotbook.console.location"; // the location the desk works at ("" or none: the business's own)

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  start(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  end() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(DAY_BY_KEY);
    sessionStorage.removeItem(LOCATION_KEY);
  },
  get location() {
    return sessionStorage.getItem(LOCATION_KEY) || "";
  },
  set location(value) {
    sessionStorage.setItem(LOCATION_KEY, value);
  },
  get dayBy() {
    return sessionStorage.getItem(DAY_BY_KEY) === "room" ? "room" : "staff";
  },
  set dayBy(value) {
    sessionStorage.setItem(DAY_BY_KEY, value);
  },
  // The name and role the token carries, for the header only: the API checks the token itself.
  get who() {
    try {
      const part = this.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return {};
    }
  },
};

// What the API said went wrong: {status, code, message, fields}, from its one error body.
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

export async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (failure) {
    throw new ApiError(0, "NETWORK", String(failure.message || failure));
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    const message = error.message || (data && data.message) || text.slice(0, 200) || response.statusText;
    throw new ApiError(response.status, error.code || `HTTP_${response.status}`, message, error.fields);
  }
  return data;
}

export const api = {
  get: (path, params) => request("GET", path + query(params)),
  post: (path, body) => request("POST", path, body ?? {}),
  put: (path, body) => request("PUT", path, body ?? {}),
  patch: (path, body) => request("PATCH", path, body ?? {}),
  delete: (path) => request("DELETE", path),
};

export function query(params) {
  const kept = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return kept.length ? "?" + new URLSearchParams(kept).toString() : "";
}

// The location the console works at, as a query or body field (none for the business's own).
export const here = () => (session.location ? { locationId: session.location } : {});

let locationList = null;

// The business's locations (the business's own first), kept for the session: a change in Settings forgets them.
export async function allLocations() {
  if (!locationList) locationList = (await api.get("/locations")).locations;
  return locationList;
}

export function forgetLocations() {
  locationList = null;
}

const today = {};

// Today in the location's time zone (not the browser's): the day the overview shows when given no date.
export async function businessToday() {
  const key = session.location;
  if (!today[key] || today[key].at < Date.now() - 60_000) {
    const { overview } = await api.get("/appointments/schedule/overview", here());
    today[key] = { date: overview.date, at: Date.now() };
  }
  return today[key].date;
}

const staffList = {};

// Every staff member who works at the location, {id, name}, from a day's overview (one call, kept for the session).
export async function allStaff() {
  const key = session.location;
  if (!staffList[key]) {
    const { overview } = await api.get("/appointments/schedule/overview", { date: await businessToday(), ...here() });
    staffList[key] = overview.staff.map(({ id, name }) => ({ id, name }));
  }
  return staffList[key];
}

const serviceList = {};

export async function allServices() {
  const key = session.location;
  if (!serviceList[key]) serviceList[key] = (await api.get("/appointments/services", here())).services;
  return serviceList[key];
}
