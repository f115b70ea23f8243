// Which public page a path shows: /report (the notice form and following a notice) and
// /transparency (the public figures). Neither needs an account or an IRC connection.

export const REPORT_PATH = '/report';
export const TRANSPARENCY_PATH = '/transparency';

export type PublicPage = 'report' | 'transparency';

function under(pathname: string, base: string): boolean {
  return pathname === base || pathname === `${base}/` || pathname.startsWith(`${base}/`);
}

export function publicPage(pathname: string): PublicPage | null {
  if (under(pathname, REPORT_PATH)) return 'report';
  if (under(pathname, TRANSPARENCY_PATH)) return 'transparency';
  return null;
}

/** The address that follows a notice: /report?ref=R-… */
export function followUrl(ref: string): string {
  return `${REPORT_PATH}?ref=${encodeURIComponent(ref)}`;
}
