/** The matchmaker's pure pairing function: hard filters, order, score and scale. */
import { pairQueue, type Pair, type PairingOptions, type QueueEntry } from "../../worker/matchmaking/pairing.ts";

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const RELAX_AFTER = 5 * MINUTE;

/** A user who would accept anybody: no age bounds, any country. */
function user(userId: string, role: QueueEntry["role"], overrides: Partial<QueueEntry> = {}): QueueEntry {
  return {
    userId,
    role,
    intent: "casual",
    age: 30,
    ageMin: null,
    ageMax: null,
    sameCountryOnly: false,
    country: null,
    city: null,
    queuedAt: NOW - MINUTE, // waited less than RELAX_AFTER unless a test says otherwise
    ...overrides,
  };
}

const male = (userId: string, overrides: Partial<QueueEntry> = {}) => user(userId, "male", overrides);
const female = (userId: string, overrides: Partial<QueueEntry> = {}) => user(userId, "female", overrides);

function pair(entries: QueueEntry[], options: Partial<PairingOptions> = {}): Pair[] {
  return pairQueue(entries, { now: NOW, relaxSoftPreferencesAfterMs: RELAX_AFTER, isExcluded: () => false, ...options });
}

/** The pairs as "male+female", ignoring scores. */
function couples(pairs: Pair[]): string[] {
  return pairs.map((p) => `${p.maleId}+${p.femaleId}`);
}

function expectNobodyTwice(pairs: Pair[]): void {
  const ids = pairs.flatMap((p) => [p.maleId, p.femaleId]);
  expect(new Set(ids).size).toBe(ids.length);
}

test("only male–female pairs are made", () => {
  expect(pair([male("m1"), male("m2")])).toEqual([]);
  expect(pair([female("f1"), female("f2")])).toEqual([]);
  const pairs = pair([male("m1"), male("m2"), female("f1")]);
  expect(pairs).toHaveLength(1);
  expect(pairs[0]!.maleId).toMatch(/^m/);
  expect(pairs[0]!.femaleId).toBe("f1");
});

test("the same intent is required", () => {
  expect(pair([male("m1", { intent: "casual" }), female("f1", { intent: "serious" })])).toEqual([]);
  expect(couples(pair([male("m1", { intent: "casual" }), female("f1", { intent: "serious" }), female("f2", { intent: "casual" })]))).toEqual(["m1+f2"]);
});

test("each one's age must be inside the other's range, in both directions; null is unbounded", () => {
  // His range excludes her.
  expect(pair([male("m1", { age: 30, ageMin: 25, ageMax: 35 }), female("f1", { age: 40 })])).toEqual([]);
  // Her range excludes him.
  expect(pair([male("m1", { age: 30 }), female("f1", { age: 40, ageMin: 35 })])).toEqual([]);
  expect(pair([male("m1", { age: 50 }), female("f1", { age: 40, ageMax: 45 })])).toEqual([]);
  // Both inside (bounds are inclusive), or unbounded on one side.
  expect(pair([male("m1", { age: 30, ageMin: 40, ageMax: 40 }), female("f1", { age: 40, ageMin: 30, ageMax: 30 })])).toHaveLength(1);
  expect(pair([male("m1", { age: 99, ageMin: 18, ageMax: null }), female("f1", { age: 18, ageMin: null, ageMax: 99 })])).toHaveLength(1);
  expect(pair([male("m1", { age: 18 }), female("f1", { age: 100 })])).toHaveLength(1);
});

test("sameCountryOnly on either side requires both countries, equal (the database normalises them)", () => {
  const his = { sameCountryOnly: true, country: "pt" };
  expect(pair([male("m1", his), female("f1", { country: "es" })])).toEqual([]);
  expect(pair([male("m1", his), female("f1", { country: null })])).toEqual([]);
  expect(pair([male("m1", { country: "es" }), female("f1", { sameCountryOnly: true, country: "pt" })])).toEqual([]);
  expect(pair([male("m1", { country: null }), female("f1", { sameCountryOnly: true, country: "pt" })])).toEqual([]);
  expect(pair([male("m1", { sameCountryOnly: true, country: null }), female("f1", { sameCountryOnly: true, country: null })])).toEqual([]);
  expect(pair([male("m1", his), female("f1", { country: "pt" })])).toHaveLength(1);
  expect(pair([male("m1", { country: "pt" }), female("f1", { sameCountryOnly: true, country: "pt" })])).toHaveLength(1);
  // Without the flag, different countries are fine.
  expect(pair([male("m1", { country: "PT" }), female("f1", { country: "ES" })])).toHaveLength(1);
});

test("excluded pairs are never made", () => {
  const asked: string[] = [];
  const isExcluded = (maleId: string, femaleId: string) => {
    asked.push(`${maleId}+${femaleId}`);
    return maleId === "m1" && femaleId === "f1";
  };
  expect(pair([male("m1"), female("f1")], { isExcluded })).toEqual([]);
  // m1 waited longest, but f1 is excluded for him: he gets f2, and f1 goes to m2.
  const pairs = pair(
    [male("m1", { queuedAt: NOW - 3 * MINUTE }), male("m2", { queuedAt: NOW - 2 * MINUTE }), female("f1", { queuedAt: NOW - 2 * MINUTE }), female("f2")],
    { isExcluded },
  );
  expect(couples(pairs)).toEqual(["m1+f2", "m2+f1"]);
  // The check is always asked male first, female second.
  expect(asked.every((ids) => /^m\d\+f\d$/.test(ids))).toBe(true);
});

test("the longest-waiting users go first", () => {
  const pairs = pair([
    male("m-late", { queuedAt: NOW - 1 * MINUTE }),
    male("m-early", { queuedAt: NOW - 3 * MINUTE }),
    male("m-middle", { queuedAt: NOW - 2 * MINUTE }),
    female("f1", { queuedAt: NOW - 30_000 }),
  ]);
  expect(couples(pairs)).toEqual(["m-early+f1"]);
  // Equal waiting times: userId decides.
  expect(couples(pair([male("m-b"), male("m-a"), female("f1")]))).toEqual(["m-a+f1"]);
});

test("a same-country candidate beats a longer-waiting one from another country while preferences are not relaxed", () => {
  const chooser = male("m1", { country: "pt", city: "porto", queuedAt: NOW - 2 * MINUTE });
  const abroad = female("f-abroad", { country: "es", queuedAt: NOW - 90_000 });
  const local = female("f-local", { country: "pt", queuedAt: NOW - 30_000 });
  const pairs = pair([chooser, abroad, local]);
  expect(pairs[0]).toEqual({ maleId: "m1", femaleId: "f-local", score: 4 + 1 });
  // Same city on top of the country wins over the country alone; age closeness counts too.
  const sameCity = female("f-porto", { country: "pt", city: "porto", age: 40, queuedAt: NOW - 20_000 });
  expect(pair([chooser, local, sameCity])[0]).toEqual({ maleId: "m1", femaleId: "f-porto", score: 4 + 2 + (1 - 10 / 82) });
  const closer = female("f-closer", { age: 31, queuedAt: NOW - 10_000 });
  expect(pair([chooser, female("f-older", { age: 50, queuedAt: NOW - 90_000 }), closer])[0]!.femaleId).toBe("f-closer");
});

test("after the threshold the chooser's soft preferences are relaxed: the longest-waiting compatible partner wins", () => {
  const chooser = male("m1", { country: "PT", city: "Porto", queuedAt: NOW - RELAX_AFTER - 1 });
  const abroad = female("f-abroad", { country: "ES", age: 70, queuedAt: NOW - 90_000 });
  const local = female("f-local", { country: "PT", city: "Porto", age: 30, queuedAt: NOW - 30_000 });
  const incompatible = female("f-first", { country: "ES", ageMax: 25, queuedAt: NOW - 4 * MINUTE });
  expect(pair([chooser, abroad, local, incompatible])).toEqual([{ maleId: "m1", femaleId: "f-abroad", score: 0 }]);
  // Exactly at the threshold is not yet "longer than" it.
  expect(pair([{ ...chooser, queuedAt: NOW - RELAX_AFTER }, abroad, local])[0]!.femaleId).toBe("f-local");
});

test("nobody is paired twice", () => {
  const entries: QueueEntry[] = [];
  for (let i = 0; i < 30; i++) entries.push(male(`m${i}`, { queuedAt: NOW - i * 1000, age: 20 + i }));
  for (let i = 0; i < 20; i++) entries.push(female(`f${i}`, { queuedAt: NOW - i * 1500, age: 45 - i }));
  // The same user queued twice still gets one pair at most.
  entries.push(female("f0", { queuedAt: NOW - 100_000 }));
  const pairs = pair(entries);
  expect(pairs).toHaveLength(20);
  expectNobodyTwice(pairs);
});

test("when everybody is compatible, every pair that can be made is made", () => {
  const n = 50;
  const entries: QueueEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(male(`m${i}`, { age: 18 + i, queuedAt: NOW - i * 997 }));
    entries.push(female(`f${i}`, { age: 67 - i, queuedAt: NOW - i * 1009 }));
  }
  const pairs = pair(entries);
  expect(pairs).toHaveLength(n);
  expectNobodyTwice(pairs);
});

test("a 100,000-entry queue completes and pairs everybody compatible without duplicates", () => {
  const half = 50_000;
  const intents = ["casual", "friends", "serious", "networking"];
  const countries = ["PT", "ES", "FR", "DE", null];
  const entries: QueueEntry[] = [];
  for (let i = 0; i < half; i++) {
    // Same intent and age range for the i-th man and woman, so every user has
    // compatible partners and a perfect pairing exists within each intent.
    const common = { intent: intents[i % intents.length]!, ageMin: 18, ageMax: 100 };
    entries.push(male(`m${i}`, { ...common, age: 18 + (i % 83), country: countries[i % 5]!, queuedAt: NOW - ((i * 7919) % 600_000) }));
    entries.push(female(`f${i}`, { ...common, age: 18 + ((i * 31) % 83), country: countries[(i * 3) % 5]!, city: `c${i % 7}`, queuedAt: NOW - ((i * 104_729) % 600_000) }));
  }
  const pairs = pair(entries);
  expect(pairs).toHaveLength(half);
  expectNobodyTwice(pairs);
  const intentOf = new Map(entries.map((e) => [e.userId, e.intent]));
  expect(pairs.every((p) => intentOf.get(p.maleId) === intentOf.get(p.femaleId))).toBe(true);
});

/** The rules read literally, O(n²): the pairing must agree with it wherever the caps can't bite (small queues). */
function referencePairs(entries: QueueEntry[], options: PairingOptions): Pair[] {
  const inRange = (age: number, of: QueueEntry) => (of.ageMin === null || of.ageMin <= age) && (of.ageMax === null || age <= of.ageMax);
  const sameCountry = (a: QueueEntry, b: QueueEntry) => a.country !== null && a.country === b.country;
  const order = [...entries].sort((a, b) => a.queuedAt - b.queuedAt || (a.userId < b.userId ? -1 : 1));
  const paired = new Set<string>();
  const pairs: Pair[] = [];
  for (const chooser of order) {
    if (paired.has(chooser.userId)) continue;
    const relaxed = options.now - chooser.queuedAt > options.relaxSoftPreferencesAfterMs;
    let best: { partner: QueueEntry; score: number } | undefined;
    for (const partner of order) {
      if (paired.has(partner.userId) || partner.role === chooser.role || partner.intent !== chooser.intent) continue;
      if (!inRange(partner.age, chooser) || !inRange(chooser.age, partner)) continue;
      if ((chooser.sameCountryOnly || partner.sameCountryOnly) && !sameCountry(chooser, partner)) continue;
      const [m, f] = chooser.role === "male" ? [chooser, partner] : [partner, chooser];
      if (options.isExcluded(m.userId, f.userId)) continue;
      const location = !sameCountry(chooser, partner) ? 0 : chooser.city !== null && chooser.city === partner.city ? 6 : 4;
      const score = relaxed ? 0 : location + (1 - Math.abs(chooser.age - partner.age) / 82);
      if (!best || score > best.score) best = { partner, score }; // waiting order: on a tie the earlier stays
    }
    if (!best) continue;
    paired.add(chooser.userId).add(best.partner.userId);
    const [m, f] = chooser.role === "male" ? [chooser, best.partner] : [best.partner, chooser];
    pairs.push({ maleId: m.userId, femaleId: f.userId, score: best.score });
  }
  return pairs;
}

test("small random queues are paired exactly as the rules read literally", () => {
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let run = 0; run < 300; run++) {
    const entries = Array.from({ length: 2 + Math.floor(random() * 80) }, (_, i): QueueEntry => {
      const age = 18 + Math.floor(random() * 40);
      const country = pick(["pt", "es", null]); // normalised, as the queue snapshot gives them
      return user(`u${i}`, pick(["male", "female"] as const), {
        intent: pick(["casual", "friends"]),
        age,
        ageMin: random() < 0.5 ? age - Math.floor(random() * 10) : null,
        ageMax: random() < 0.5 ? age + Math.floor(random() * 10) : null,
        sameCountryOnly: random() < 0.3,
        country,
        city: country === null || random() < 0.3 ? null : pick(["porto", "lisbon"]),
        queuedAt: NOW - Math.floor(random() * 20) * 1000, // many ties, so userId decides too
      });
    });
    const excluded = new Set(entries.flatMap((a) => entries.filter(() => random() < 0.05).map((b) => `${a.userId}+${b.userId}`)));
    const options: PairingOptions = {
      now: NOW,
      relaxSoftPreferencesAfterMs: Math.floor(random() * 20) * 1000,
      isExcluded: (maleId, femaleId) => excluded.has(`${maleId}+${femaleId}`),
    };
    expect(pairQueue(entries, options)).toEqual(referencePairs(entries, options));
  }
});
