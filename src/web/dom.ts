/** A few DOM helpers: the client is plain DOM, with no framework. */

export type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** Creates an element: attributes (on* become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  element.append(...children.filter((child): child is Node | string => Boolean(child)));
  return element;
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => Boolean(child)));
}

/** m:ss (or h:mm:ss) of a number of seconds. */
export function clock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const mmss = `${h > 0 ? String(m).padStart(2, "0") : m}:${String(s).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Calls `tick` now and every second until the returned function is called. */
export function everySecond(tick: () => void): () => void {
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}

/** The values of a form's named fields. */
function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form).entries()) values[name] = String(value).trim();
  return values;
}

/** A form that hands the values of its named fields to `submit` instead of loading a page. */
export function form(submit: (values: Record<string, string>) => void, ...children: Child[]): HTMLFormElement {
  const element: HTMLFormElement = h("form", { onsubmit: (event) => (event.preventDefault(), submit(formValues(element))) }, ...children);
  return element;
}

/** A labelled input. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLLabelElement {
  return h("label", {}, h("span", {}, label), input);
}

export function select(name: string, options: string[], value?: string | null): HTMLSelectElement {
  return h("select", { name }, ...options.map((option) => h("option", { value: option, selected: option === value }, option)));
}

export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The partner's name line: "Ann, 29 · Porto, PT". */
export function profileLine(profile: { displayName: string | null; age: number | null; locationCity: string | null; locationCountry: string | null } | null): string {
  if (!profile) return "someone";
  const place = [profile.locationCity, profile.locationCountry].filter(Boolean).join(", ");
  return `${profile.displayName ?? "someone"}${profile.age ? `, ${profile.age}` : ""}${place ? ` · ${place}` : ""}`;
}
