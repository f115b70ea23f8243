// Nick protection in words (account-protocol.md): NickServ says the nick belongs to an
// account, so offer to log in before the grace period ends; once the server has renamed us,
// say so and still offer the login (which takes the nick back).
import { useApp, useChatState } from './context';

export function ProtectionBanner({ onLogin }: { onLogin(): void }) {
  const { t, store } = useApp();
  const { nickProtection, renamed } = useChatState();
  if (!nickProtection && !renamed) return null;
  const text = nickProtection
    ? t('protect.registered', nickProtection.nick, nickProtection.seconds)
    : t('protect.renamed', renamed!.from, renamed!.to);
  return (
    <div class="banner banner-notice protect-banner" role="alert" data-testid="protection-banner">
      <span>{text}</span>
      <button type="button" class="small" onClick={onLogin}>
        {t('protect.login')}
      </button>
      <button type="button" class="quiet small" onClick={() => store.dispatch({ type: 'dismissProtection' })} aria-label={t('banner.dismiss')}>
        ×
      </button>
    </div>
  );
}
