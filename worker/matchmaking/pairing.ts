/**
 * The matchmaker's pairing step: given a snapshot of the queue, decide who is
 * paired with whom. Pure (no I/O): the caller loads the queue, supplies the
 * exclusion check (blocks, connections, recent matches) and writes the pairs.
 *
 * Rules, in short:
 * - hard filters: one male and one female, same intent, each one's age inside
 *   the other's range (null = unbounded), same country when either side asks
 *   for it, and not excluded by `options.isExcluded`;
 * - the longest-waiting users choose first (queuedAt, then userId); each
 *   still-unpaired chooser takes the best still-unpaired compatible partner;
 * - best = highest score, then earlier queuedAt, then userId. Score: same
 *   country +4, same city too +2, plus age closeness 1 - |Δage| / 82. A
 *   chooser who has waited longer than `relaxSoftPreferencesAfterMs` scores
 *   everybody 0, so the longest-waiting compatible partner wins.
 *
 * How it stays fast (no O(n²) over the queue): candidates are kept in lists
 * by (role, intent, age), and also by (role, intent, age, country) and
 * (role, intent, age, country, city), each list longest-waiting first. In one
 * list every candidate gives the chooser the same score, so the list's best
 * is simply its first compatible unpaired candidate. And the location part of
 * the score decides before age does: same city (6 + closeness, at least 6)
 * always beats same country only (at most 5), which always beats neither (at
 * most 1). So a chooser looks for a same-city partner at the closest age that
 * has one, then a same-country one, then anybody, and stops at the first
 * tier that yields a partner. A relaxed chooser just wants the longest-waiting
 * compatible partner, so it looks at the head of the whole group first.
 */

export type Gender = "male" | "female";

export interface QueueEntry {
  userId: string;
  role: Gender;
  intent: string; // 'casual' | 'friends' | 'serious' | 'networking'
  age: number; // 18..100
  ageMin: number | null; // preferences.age_min (null = no bound)
  ageMax: number | null; // preferences.age_max
  sameCountryOnly: boolean; // preferences.same_country_only
  country: string | null; // normalised by the database (app_private.normalized_place): compared as is
  city: string | null; // normalised likewise
  queuedAt: number; // epoch milliseconds when the user entered the queue
}

export interface PairingOptions {
  now: number; // epoch ms
  relaxSoftPreferencesAfterMs: number;
  /** true when the pair must never be matched (blocked, connected, or matched in the last 24 h) */
  isExcluded(maleId: string, femaleId: string): boolean;
}

export interface Pair {
  maleId: string;
  femaleId: string;
  score: number;
}

const MIN_AGE = 18;
const MAX_AGE = 100;
/** The age gap that makes closeness 0 (100 - 18). */
const AGE_SPAN = MAX_AGE - MIN_AGE;
const SAME_COUNTRY_SCORE = 4;
const SAME_CITY_SCORE = 2;

/**
 * How many still-unpaired candidates a chooser examines at the head of one
 * list before giving up on it. Incompatible or excluded candidates are
 * skipped but count towards the cap; the first compatible one ends the scan,
 * since in a list it is the best (everyone there scores the same, and it
 * waited longest).
 *
 * Trade-off: without the cap, a list whose head is full of users this chooser
 * can't or mustn't take (their age range or country rule excludes the
 * chooser, or isExcluded says no) would be walked to its end for every
 * chooser, which is O(n²) over the queue. With it, a chooser costs at most
 * 3 tiers × 83 ages × 16 checks (relaxed: 256 + 83 × 16), whatever the queue
 * size, and on ordinary queues far fewer. The price:
 * a compatible candidate behind more than 16 unsuitable ones in its list is
 * missed in this run, so the chooser may get a lower-scoring partner, or none.
 * The matchmaker runs again shortly, and the heads of the lists move as users
 * are paired or leave, so such a candidate is reached in a later run.
 */
const MAX_EXAMINED_PER_LIST = 16;

/**
 * The same cap for the one list a relaxed chooser tries first: the whole
 * group in waiting order. A hit there is exact (see longestWaiting), so a
 * larger cap only costs time, and it saves the walk over every age list.
 */
const MAX_EXAMINED_IN_GROUP = 256;

/**
 * A queue entry as the pairing reads it: the fields copied flat (they are
 * read millions of times on a large queue), countries and cities lower-cased
 * once so comparisons are case-insensitive, and a missing age bound as ±∞.
 */
interface Candidate {
  userId: string;
  role: Gender;
  intent: string;
  age: number;
  ageMin: number;
  ageMax: number;
  sameCountryOnly: boolean;
  country: string | null;
  city: string | null;
  queuedAt: number;
  paired: boolean;
}

/**
 * Candidates that all give a chooser the same score, longest-waiting first.
 * `next` lets a scan jump over paired candidates: for a paired candidate i,
 * next[i] (when greater than i) points at a later position to resume from,
 * and lookups compress those chains (union-find style). This is a "moving
 * start index" that also covers users paired in the middle of the list, so
 * no scan walks over the same paired users again and again. A zero entry
 * just means "not yet known": step to i + 1.
 */
interface CandidateList {
  candidates: Candidate[];
  next: Int32Array;
}

/** Lists indexed by age - MIN_AGE; undefined where nobody has that age. */
type ByAge = Array<CandidateList | undefined>;

/** Everybody of one role and intent, listed four ways. */
interface Group {
  all: CandidateList;
  byAge: ByAge;
  byCountry: Map<string, ByAge>;
  byCity: Map<string, Map<string, ByAge>>; // country, then city
}

/** Groups by role, then intent. */
type Index = Record<Gender, Map<string, Group>>;

interface Best {
  candidate: Candidate;
  score: number;
}

interface AgeRange {
  low: number;
  high: number;
}

export function pairQueue(entries: readonly QueueEntry[], options: PairingOptions): Pair[] {
  const choosers = toCandidates(entries);
  const index = buildIndex(choosers);

  const pairs: Pair[] = [];
  for (const chooser of choosers) {
    if (chooser.paired) continue;
    const best = findBestPartner(chooser, index, options);
    if (!best) continue;
    chooser.paired = true;
    best.candidate.paired = true;
    pairs.push(toPair(chooser, best));
  }
  return pairs;
}

/**
 * The queue as candidates, longest-waiting first. Entries the lists can't
 * hold (an age that isn't an integer in 18..100) are left out: nobody could
 * find them, so letting them choose would make pairing one-sided. A userId
 * that appears twice keeps its longest-waiting entry only, so nobody can end
 * up in two pairs.
 */
function toCandidates(entries: readonly QueueEntry[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const entry of entries) {
    if (Number.isInteger(entry.age) && entry.age >= MIN_AGE && entry.age <= MAX_AGE) candidates.push(toCandidate(entry));
  }
  candidates.sort(byWaitingTime);
  const seen = new Set<string>();
  return candidates.filter((candidate) => !seen.has(candidate.userId) && seen.add(candidate.userId));
}

function toCandidate(entry: QueueEntry): Candidate {
  return {
    userId: entry.userId,
    role: entry.role,
    intent: entry.intent,
    age: entry.age,
    ageMin: entry.ageMin ?? -Infinity,
    ageMax: entry.ageMax ?? Infinity,
    sameCountryOnly: entry.sameCountryOnly,
    country: entry.country,
    city: entry.city,
    queuedAt: entry.queuedAt,
    paired: false,
  };
}

/** Longest-waiting first; userId makes the order total, so runs are deterministic. */
function byWaitingTime(a: Candidate, b: Candidate): number {
  return a.queuedAt - b.queuedAt || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

function waitedLonger(a: Candidate, b: Candidate): boolean {
  return byWaitingTime(a, b) < 0;
}

/** `sorted` must already be longest-waiting first, so every list is too. */
function buildIndex(sorted: Candidate[]): Index {
  const index: Index = { male: new Map(), female: new Map() };
  const lists: CandidateList[] = [];
  const newList = (): CandidateList => {
    const list = { candidates: [], next: NO_SKIPS };
    lists.push(list);
    return list;
  };
  const addTo = (byAge: ByAge, candidate: Candidate) => {
    (byAge[candidate.age - MIN_AGE] ??= newList()).candidates.push(candidate);
  };
  for (const candidate of sorted) {
    const group = getOrAdd(index[candidate.role], candidate.intent, () => ({ all: newList(), byAge: newByAge(), byCountry: new Map(), byCity: new Map() }));
    group.all.candidates.push(candidate);
    addTo(group.byAge, candidate);
    if (candidate.country === null) continue;
    addTo(getOrAdd(group.byCountry, candidate.country, newByAge), candidate);
    if (candidate.city === null) continue;
    addTo(getOrAdd(getOrAdd(group.byCity, candidate.country, newCityMap), candidate.city, newByAge), candidate);
  }
  // Sized once the lists are complete; zero means "step to i + 1".
  for (const list of lists) list.next = new Int32Array(list.candidates.length);
  return index;
}

const NO_SKIPS = new Int32Array(0);

function getOrAdd<V>(map: Map<string, V>, key: string, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

function newByAge(): ByAge {
  return new Array<CandidateList | undefined>(AGE_SPAN + 1);
}

function newCityMap(): Map<string, ByAge> {
  return new Map();
}

/**
 * The first unpaired position at or after `from` (candidates.length when
 * none). Follows the skip pointers over paired candidates, then points every
 * position it passed straight at the result, so the next lookup is short.
 */
function nextUnpaired(list: CandidateList, from: number): number {
  const { candidates, next } = list;
  let end = from;
  while (end < candidates.length && candidates[end]!.paired) end = Math.max(next[end]!, end + 1);
  for (let i = from; i < end; ) {
    const step = Math.max(next[i]!, i + 1);
    next[i] = end;
    i = step;
  }
  return end;
}

function findBestPartner(chooser: Candidate, index: Index, options: PairingOptions): Best | undefined {
  const group = index[partnerRole(chooser.role)].get(chooser.intent);
  const range = acceptableAges(chooser);
  if (!group || !range) return undefined;
  if (options.now - chooser.queuedAt > options.relaxSoftPreferencesAfterMs) {
    const candidate = longestWaiting(chooser, group, range, options);
    return candidate && { candidate, score: 0 };
  }
  for (const tier of locationTiers(chooser, group)) {
    const best = closestInAge(chooser, tier, range, options);
    if (best) return best;
  }
  return undefined;
}

function partnerRole(role: Gender): Gender {
  return role === "male" ? "female" : "male";
}

/** The chooser's own age range, as whole years inside 18..100; undefined when empty. */
function acceptableAges(chooser: Candidate): AgeRange | undefined {
  const low = Math.max(MIN_AGE, Math.ceil(chooser.ageMin));
  const high = Math.min(MAX_AGE, Math.floor(chooser.ageMax));
  return low <= high ? { low, high } : undefined;
}

/**
 * The candidate lists to try, best location score first: same city, same
 * country, anybody. A chooser without a country (or city) has no such tier:
 * nobody can score the location points with them.
 */
function locationTiers(chooser: Candidate, group: Group): ByAge[] {
  const tiers: ByAge[] = [];
  if (chooser.country !== null) {
    if (chooser.city !== null) {
      const sameCity = group.byCity.get(chooser.country)?.get(chooser.city);
      if (sameCity) tiers.push(sameCity);
    }
    const sameCountry = group.byCountry.get(chooser.country);
    if (sameCountry) tiers.push(sameCountry);
  }
  tiers.push(group.byAge);
  return tiers;
}

/**
 * Within one location tier the score only falls as the age gap grows, so the
 * first gap (from the chooser's own age outwards) that has a compatible
 * candidate holds the best one; the two ages at that gap tie on score and
 * the longer-waiting candidate wins.
 */
function closestInAge(chooser: Candidate, tier: ByAge, range: AgeRange, options: PairingOptions): Best | undefined {
  const age = chooser.age;
  const maxGap = Math.max(Math.abs(range.low - age), Math.abs(range.high - age));
  for (let gap = 0; gap <= maxGap; gap++) {
    const younger = gap === 0 ? undefined : bestAtAge(chooser, tier, age - gap, range, options);
    const older = bestAtAge(chooser, tier, age + gap, range, options);
    if (younger && older) return isBetter(older, younger) ? older : younger;
    if (younger || older) return younger ?? older;
  }
  return undefined;
}

function bestAtAge(chooser: Candidate, tier: ByAge, age: number, range: AgeRange, options: PairingOptions): Best | undefined {
  if (age < range.low || age > range.high) return undefined;
  const candidate = firstCompatible(chooser, tier[age - MIN_AGE], options, MAX_EXAMINED_PER_LIST);
  // The real score, not the tier's: a same-city candidate can turn up in a
  // wider tier when the cap hid it in its own.
  return candidate && { candidate, score: softScore(chooser, candidate) };
}

function isBetter(a: Best, b: Best): boolean {
  return a.score > b.score || (a.score === b.score && waitedLonger(a.candidate, b.candidate));
}

/**
 * Relaxed choosers score everyone 0, so the best partner is the
 * longest-waiting compatible one of any age in the range. Usually the head of
 * the whole group, in waiting order, holds one: the first compatible
 * candidate there is exactly that partner. When the cap runs out first (say,
 * a narrow age range), each age list is tried instead; once a partner is
 * found, a list can only help with somebody who waited longer still, so its
 * scan stops at the first who didn't (often its head).
 */
function longestWaiting(chooser: Candidate, group: Group, range: AgeRange, options: PairingOptions): Candidate | undefined {
  const first = firstCompatible(chooser, group.all, options, MAX_EXAMINED_IN_GROUP);
  if (first) return first;
  let best: Candidate | undefined;
  for (let age = range.low; age <= range.high; age++) {
    best = firstCompatible(chooser, group.byAge[age - MIN_AGE], options, MAX_EXAMINED_PER_LIST, best) ?? best;
  }
  return best;
}

/**
 * The longest-waiting compatible unpaired candidate among the first `cap`
 * unpaired ones of a list; with `mustBeat`, only one who waited longer than
 * it, and the scan stops at the first who didn't.
 */
function firstCompatible(
  chooser: Candidate,
  list: CandidateList | undefined,
  options: PairingOptions,
  cap: number,
  mustBeat?: Candidate,
): Candidate | undefined {
  if (!list) return undefined;
  let position = nextUnpaired(list, 0);
  for (let examined = 0; position < list.candidates.length && examined < cap; examined++) {
    const candidate = list.candidates[position]!;
    if (mustBeat && !waitedLonger(candidate, mustBeat)) return undefined;
    if (isCompatible(chooser, candidate, options)) return candidate;
    position = nextUnpaired(list, position + 1);
  }
  return undefined;
}

/**
 * The hard filters, but for role and intent: a chooser only looks in the
 * group of the other role and the same intent. The exclusion check runs
 * last: it is the caller's and may cost most.
 */
function isCompatible(chooser: Candidate, candidate: Candidate, options: PairingOptions): boolean {
  if (candidate.age < chooser.ageMin || candidate.age > chooser.ageMax) return false;
  if (chooser.age < candidate.ageMin || chooser.age > candidate.ageMax) return false;
  if ((chooser.sameCountryOnly || candidate.sameCountryOnly) && !sameCountry(chooser, candidate)) return false;
  return chooser.role === "male"
    ? !options.isExcluded(chooser.userId, candidate.userId)
    : !options.isExcluded(candidate.userId, chooser.userId);
}

function sameCountry(a: Candidate, b: Candidate): boolean {
  return a.country !== null && a.country === b.country;
}

function softScore(chooser: Candidate, candidate: Candidate): number {
  return locationScore(chooser, candidate) + ageCloseness(Math.abs(chooser.age - candidate.age));
}

function locationScore(chooser: Candidate, candidate: Candidate): number {
  if (!sameCountry(chooser, candidate)) return 0;
  return chooser.city !== null && chooser.city === candidate.city ? SAME_COUNTRY_SCORE + SAME_CITY_SCORE : SAME_COUNTRY_SCORE;
}

function ageCloseness(gap: number): number {
  return 1 - gap / AGE_SPAN;
}

function toPair(chooser: Candidate, best: Best): Pair {
  const [male, female] = chooser.role === "male" ? [chooser, best.candidate] : [best.candidate, chooser];
  return { maleId: male.userId, femaleId: female.userId, score: best.score };
}
