// Which screen a path shows: /console (and anything under it) is the moderation console.

export const CONSOLE_PATH = '/console';

export function isConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
}
