// The entry of /report, the public notice form: its own chunk (no chat code, no IRC).
import { render } from 'preact';
import { usePublicLang } from './lang';
import { PublicShell } from '../ui/public/PublicShell';
import { ReportPage } from '../ui/public/ReportPage';
import '../styles.css';
import './public.css';

function Root() {
  const lang = usePublicLang('notice.title');
  return (
    <PublicShell page="report" lang={lang}>
      <ReportPage lang={lang} />
    </PublicShell>
  );
}

render(<Root />, document.getElementById('app')!);
