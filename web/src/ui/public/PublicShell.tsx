// The frame of the public pages (/report, /transparency): a header with the brand (back to
// the chat), the page's title and the language toggle; the page; a footer linking the other
// public page and the chat. No account, no IRC connection.
import type { ComponentChildren } from 'preact';
import type { PublicLang } from '../../public/lang';
import { REPORT_PATH, TRANSPARENCY_PATH, type PublicPage } from '../../public/route';

export function PublicShell({ page, lang: { t, lang, setLang }, children }: { page: PublicPage; lang: PublicLang; children: ComponentChildren }) {
  const other = lang === 'fr' ? 'en' : 'fr';
  return (
    <div class="public" data-page={page}>
      <a class="skip-link" href="#main">
        {t('public.skip')}
      </a>
      <header class="public-top">
        <a class="brand-small public-brand" href="/" aria-label={`Salon — ${t('public.backToChat')}`}>
          Salon
        </a>
        <button type="button" class="lang-toggle" lang={other} onClick={() => setLang(other)} aria-label={`${t('header.language')}: ${t('header.switchTo')}`}>
          {other.toUpperCase()}
        </button>
      </header>
      <main id="main" class="public-main" tabIndex={-1}>
        {children}
      </main>
      <footer class="public-foot">
        <nav aria-label={t('public.nav')}>
          <ul>
            <li>
              <a href="/">{t('public.backToChat')}</a>
            </li>
            <li>
              {page === 'report' ? <a href={TRANSPARENCY_PATH}>{t('public.transparencyLink')}</a> : <a href={REPORT_PATH}>{t('public.reportLink')}</a>}
            </li>
          </ul>
        </nav>
      </footer>
    </div>
  );
}
