import { useApp, useChatState } from './context';
import { describeError } from '../i18n';

/** Errors and notices that arrived while no conversation was open (e.g. a refused JOIN). */
export function Banner() {
  const { t, lang, store } = useApp();
  const { banner } = useChatState();
  if (!banner) return null;
  const text =
    banner.kind === 'error'
      ? describeError(t, lang, banner.key ?? '', banner.args ?? [])
      : `${t('line.notice', banner.nick ?? '')}: ${banner.text ?? ''}`;
  return (
    <div class={`banner banner-${banner.kind}`} role="alert">
      <span>{text}</span>
      <button type="button" class="quiet small" onClick={() => store.dispatch({ type: 'dismissBanner' })} aria-label={t('banner.dismiss')}>
        ×
      </button>
    </div>
  );
}
