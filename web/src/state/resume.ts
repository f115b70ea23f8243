// What a reloaded page needs to carry on where it was: nick, guest profile, open rooms, open
// private tabs, the conversation shown, and for an account its credentials. Kept in
// sessionStorage (one tab, gone when the tab closes, cleared on logout); see web/README.md for
// why the password is there at all. Pure functions: main.tsx does the storing.
import type { ChatState, Profile } from './reducer';
import { parseGender } from './reducer';

export const RESUME_KEY = 'salon.session';

export interface Credentials {
  account: string;
  password: string;
}

export interface ResumeState {
  v: 1;
  nick: string;
  /** The guest's join profile (null when logged in: the account has its own). */
  profile: Profile | null;
  /** Rooms to join again, in tab order. */
  rooms: string[];
  /** Private conversations to reopen, in tab order. */
  privates: string[];
  /** Name of the conversation shown, or null for the catalogue. */
  active: string | null;
  credentials: Credentials | null;
}

/** The resume record for the current state, or null when there is no session to resume. */
export function resumeFromState(state: ChatState, credentials: Credentials | null): ResumeState | null {
  if (!state.everRegistered || !state.nick) return null;
  const rooms: string[] = [];
  const privates: string[] = [];
  for (const k of state.order) {
    const b = state.buffers[k];
    if (!b) continue;
    if (b.kind === 'room' && b.rejoin) rooms.push(b.name);
    else if (b.kind === 'private') privates.push(b.name);
  }
  const active = state.active ? (state.buffers[state.active]?.name ?? null) : null;
  return {
    v: 1,
    nick: state.nick,
    profile: credentials ? null : state.profile,
    rooms,
    privates,
    active: active === '*' ? null : active,
    credentials,
  };
}

export function serializeResume(r: ResumeState): string {
  return JSON.stringify(r);
}

const isString = (x: unknown): x is string => typeof x === 'string';

/** Reads a stored record; anything malformed or from another version gives null (a fresh start). */
export function parseResume(text: string | null): ResumeState | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (o.v !== 1 || !isString(o.nick) || !o.nick) return null;
  if (!Array.isArray(o.rooms) || !o.rooms.every(isString)) return null;
  if (!Array.isArray(o.privates) || !o.privates.every(isString)) return null;
  if (o.active !== null && !isString(o.active)) return null;

  let profile: Profile | null = null;
  if (o.profile !== null && o.profile !== undefined) {
    const p = o.profile as Record<string, unknown>;
    if (typeof p !== 'object' || typeof p.age !== 'number' || !Number.isInteger(p.age) || !isString(p.gender) || !isString(p.town)) return null;
    profile = { age: p.age, gender: parseGender(p.gender), town: p.town };
  }
  let credentials: Credentials | null = null;
  if (o.credentials !== null && o.credentials !== undefined) {
    const c = o.credentials as Record<string, unknown>;
    if (typeof c !== 'object' || !isString(c.account) || !c.account || !isString(c.password) || !c.password) return null;
    credentials = { account: c.account, password: c.password };
  }
  return { v: 1, nick: o.nick, profile, rooms: [...o.rooms], privates: [...o.privates], active: o.active as string | null, credentials };
}
