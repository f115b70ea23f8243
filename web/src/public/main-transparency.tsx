// The entry of /transparency, the public transparency figures: its own chunk (no chat code, no IRC).
import { render } from 'preact';
import { usePublicLang } from './lang';
import { PublicShell } from '../ui/public/PublicShell';
import { TransparencyPage } from '../ui/public/TransparencyPage';
import '../styles.css';
import './public.css';

function Root() {
  const lang = usePublicLang('transparency.title');
  return (
    <PublicShell page="transparency" lang={lang}>
      <TransparencyPage lang={lang} />
    </PublicShell>
  );
}

render(<Root />, document.getElementById('app')!);
