import { describe, expect, it } from 'vitest';
import { dictionaries } from '../i18n';
import {
  emptyNotice,
  firstError,
  followFailure,
  isChildSafety,
  normalizeRef,
  noticeBody,
  NOTICE_CATEGORIES,
  parseNoticeCreated,
  parseNoticeStatus,
  retryAfterSeconds,
  roomLeft,
  sendFailure,
  statusKey,
  outcomeKey,
  validateNotice,
  type NoticeValues,
} from './notice';

const good: NoticeValues = { ...emptyNotice(), category: 'hate', target: '#lobby', text: 'Insults against a religion.', goodFaith: true };

describe('validateNotice', () => {
  it('lets a complete notice go, without contact details', () => {
    expect(validateNotice(good)).toEqual({});
  });
  it('names every missing required field, the category first', () => {
    const e = validateNotice(emptyNotice());
    expect(Object.keys(e).sort()).toEqual(['category', 'good_faith', 'target', 'text']);
    expect(firstError(e)).toBe('category');
    expect(e.target?.key).toBe('notice.err.targetEmpty');
    expect(e.text?.key).toBe('notice.err.textEmpty');
  });
  it('refuses an unknown category', () => {
    expect(validateNotice({ ...good, category: 'rude' }).category?.key).toBe('notice.err.category');
  });
  it('counts bytes as the server does (an accented letter is 2)', () => {
    expect(validateNotice({ ...good, target: 'x'.repeat(200) }).target).toBeUndefined();
    expect(validateNotice({ ...good, target: 'x'.repeat(201) }).target).toEqual({ key: 'notice.err.tooLong', args: [200, 201] });
    expect(validateNotice({ ...good, target: 'é'.repeat(101) }).target?.args).toEqual([200, 202]);
    expect(validateNotice({ ...good, text: 'y'.repeat(2001) }).text?.key).toBe('notice.err.tooLong');
    expect(validateNotice({ ...good, contactName: 'n'.repeat(101) }).contact_name?.key).toBe('notice.err.tooLong');
    expect(roomLeft('target', 'ab')).toBe(198);
    expect(roomLeft('text', 'é')).toBe(1998);
  });
  it('keeps the target on one line; the explanation may have line breaks but no other control', () => {
    expect(validateNotice({ ...good, target: 'a\tb' }).target?.key).toBe('notice.err.control');
    expect(validateNotice({ ...good, text: 'line one\r\nline two' }).text).toBeUndefined();
    expect(validateNotice({ ...good, text: 'bell\u0007' }).text?.key).toBe('notice.err.control');
  });
  it('takes an e-mail address with an @ or none', () => {
    expect(validateNotice({ ...good, contactEmail: '' }).contact_email).toBeUndefined();
    expect(validateNotice({ ...good, contactEmail: 'a@b.org' }).contact_email).toBeUndefined();
    expect(validateNotice({ ...good, contactEmail: 'not an address' }).contact_email?.key).toBe('notice.err.email');
    expect(validateNotice({ ...good, contactEmail: 'a@' }).contact_email?.key).toBe('notice.err.email');
  });
  it('needs the good-faith statement', () => {
    expect(validateNotice({ ...good, goodFaith: false }).good_faith?.key).toBe('notice.err.goodFaith');
  });
});

describe('noticeBody', () => {
  it('trims, normalises line breaks and leaves out empty contact fields', () => {
    expect(noticeBody({ ...good, target: '  #lobby ', text: ' a\r\nb\tc ', contactName: ' ', contactEmail: '' })).toEqual({
      category: 'hate',
      target: '#lobby',
      text: 'a\nb c',
      good_faith: true,
    });
    expect(noticeBody({ ...good, contactName: 'Ann', contactEmail: 'ann@example.org' })).toMatchObject({ contact_name: 'Ann', contact_email: 'ann@example.org' });
  });
});

describe('child safety', () => {
  it('is child abuse, grooming and intimate images without consent', () => {
    expect(NOTICE_CATEGORIES.filter(isChildSafety)).toEqual(['child_abuse', 'grooming', 'non_consensual']);
  });
});

describe('normalizeRef', () => {
  it('accepts a reference typed in another case or with spaces', () => {
    expect(normalizeRef('R-0123456789')).toBe('R-0123456789');
    expect(normalizeRef(' r-00AB cd12ef ')).toBe('R-00abcd12ef');
  });
  it('refuses anything else', () => {
    for (const s of ['', 'R-12345', 'D-0123456789', 'R-0123456789a', 'R-ghijklmnop', '0123456789']) expect(normalizeRef(s)).toBeNull();
  });
});

describe('answers', () => {
  it('reads the reference of a notice received', () => {
    expect(parseNoticeCreated({ reference: 'R-0123456789', status: 'open', created_ms: 5 })).toEqual({ reference: 'R-0123456789', status: 'open', createdMs: 5 });
    expect(parseNoticeCreated({ status: 'open' })).toBeNull();
  });
  it('reads a status, with the outcome once closed', () => {
    expect(parseNoticeStatus({ reference: 'R-1', category: 'spam', status: 'open', created_ms: 1 })).toEqual({ reference: 'R-1', category: 'spam', status: 'open', createdMs: 1 });
    expect(parseNoticeStatus({ reference: 'R-1', category: 'spam', status: 'closed', created_ms: 1, outcome: 'no_action', decided_ms: 9 })).toMatchObject({ outcome: 'no_action', decidedMs: 9 });
    expect(parseNoticeStatus(null)).toBeNull();
  });
  it('has words for every status and outcome, in both languages', () => {
    for (const s of ['open', 'assigned', 'closed']) {
      const key = statusKey(s)!;
      expect(dictionaries.en[key] && dictionaries.fr[key]).toBeTruthy();
    }
    for (const o of ['action_taken', 'no_action', 'duplicate']) expect(dictionaries.fr[outcomeKey(o)!]).toBeTruthy();
    expect(statusKey('appealed')).toBeNull();
  });
});

describe('failures', () => {
  it('puts a 400 next to the field the server names', () => {
    expect(sendFailure(400, { error: 'target: say who…', field: 'target' }, null)).toEqual({ key: 'notice.err.server.target', args: [], status: 400, field: 'target' });
    expect(sendFailure(400, { error: 'The body is not a JSON object' }, null)).toMatchObject({ key: 'notice.err.refused', args: ['The body is not a JSON object'] });
  });
  it('says when to try again after a 429', () => {
    expect(sendFailure(429, { error: '…' }, '120')).toMatchObject({ key: 'notice.err.rateLimited', args: [120] });
    expect(sendFailure(429, { error: 'try again in 42 seconds' }, null)).toMatchObject({ args: [42] });
    expect(sendFailure(429, {}, null).key).toBe('notice.err.rateLimitedNoWait');
    expect(retryAfterSeconds('Wed, 02 Dec 2026 10:01:00 GMT', Date.parse('Wed, 02 Dec 2026 10:00:00 GMT'))).toBe(60);
  });
  it('shows the server’s sentence for 415, 403 and 503', () => {
    for (const status of [415, 403, 503]) expect(sendFailure(status, { error: 'Because.' }, null)).toEqual({ key: 'notice.err.refused', args: ['Because.'], status });
    expect(sendFailure(503, null, null).args).toEqual(['HTTP 503']);
    expect(sendFailure(0, null, null).key).toBe('notice.err.network');
  });
  it('tells a malformed reference from an unknown one', () => {
    expect(followFailure(400, { field: 'ref' })).toMatchObject({ key: 'notice.err.badRef', field: 'ref' });
    expect(followFailure(404, { error: 'No notice R-0123456789' })).toMatchObject({ key: 'notice.err.unknownRef', field: 'ref' });
    expect(followFailure(503, { error: 'later' })).toMatchObject({ key: 'notice.err.followFailed', args: ['later'] });
  });
  it('has words for every server field error in both languages', () => {
    for (const f of ['category', 'target', 'text', 'contact_name', 'contact_email', 'good_faith']) {
      expect(dictionaries.en[`notice.err.server.${f}`]).toBeTruthy();
      expect(dictionaries.fr[`notice.err.server.${f}`]).toBeTruthy();
    }
  });
});
