import { useEffect, useRef, useState } from 'preact/hooks';
import { ReportContext, useApp, useChatState, useMediaQuery, type OpenReport } from './context';
import { JoinForm } from './JoinForm';
import { Header } from './Header';
import { Nav } from './Nav';
import { Catalogue } from './Catalogue';
import { Conversation } from './Conversation';
import { Members } from './Members';
import { NickDialog } from './NickDialog';
import { Banner } from './Banner';
import { AccountDialog, type AccountFocus } from './AccountDialog';
import { ProtectionBanner } from './ProtectionBanner';
import { DecisionDialog } from './DecisionDialog';
import { ReportDialog } from './ReportDialog';
import type { ReportSubject } from '../state/report';

type Drawer = 'nav' | 'members' | null;

export function App() {
  const { t, store } = useApp();
  const state = useChatState();
  const wide = useMediaQuery('(min-width: 900px)');
  const [drawer, setDrawer] = useState<Drawer>(null);
  const [nickDialog, setNickDialog] = useState(false);
  const [accountDialog, setAccountDialog] = useState<AccountFocus | null>(null);
  const [report, setReport] = useState<{ subject: ReportSubject; returnFocus: HTMLElement | null } | null>(null);
  const openReport: OpenReport = (subject, returnFocus) => setReport({ subject, returnFocus });
  const opener = useRef<HTMLElement | null>(null);

  // The chat stays on screen while reconnecting; the join form shows when there is no session.
  const inSession = state.status.state !== 'idle' && (state.registered || state.everRegistered);

  const active = state.active ? state.buffers[state.active] : undefined;
  const room = active?.kind === 'room' ? state.active : null;

  useEffect(() => {
    if (wide) setDrawer(null);
  }, [wide]);
  useEffect(() => {
    // Logged out or quit from a dialog: the next session starts with none open.
    if (!inSession) {
      setAccountDialog(null);
      setNickDialog(false);
      setReport(null);
    }
  }, [inSession]);
  useEffect(() => {
    if (!room && drawer === 'members') setDrawer(null);
  }, [room]);

  const toggle = (which: 'nav' | 'members') => {
    if (drawer === which) {
      setDrawer(null);
      opener.current?.focus();
      return;
    }
    opener.current = document.activeElement as HTMLElement;
    setDrawer(which);
    requestAnimationFrame(() => {
      const panel = document.getElementById(which === 'nav' ? 'nav-panel' : 'members-panel');
      panel?.querySelector<HTMLElement>('button, input, [tabindex]')?.focus();
    });
  };
  const closeDrawer = () => {
    if (!drawer) return;
    setDrawer(null);
    opener.current?.focus();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Escape in a dialog (a report from the members drawer) closes the dialog, not the drawer.
      if (e.key === 'Escape' && drawer && !document.querySelector('dialog[open]')) closeDrawer();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawer]);

  // A statement of reasons stays on screen when the connection ends with it (a server ban).
  const decision = state.decisions.length > 0 && (
    <DecisionDialog
      key={`${state.decisions[0].ref} ${state.decisions[0].time}`}
      decision={state.decisions[0]}
      onClose={() => store.dispatch({ type: 'dismissDecision' })}
    />
  );

  if (!inSession)
    return (
      <>
        <JoinForm />
        {decision}
      </>
    );

  const memberCount = room ? Object.keys(state.buffers[room].members).length : 0;
  const drawerClass = (which: Drawer) => (!wide ? (drawer === which ? ' drawer open' : ' drawer') : '');

  return (
    <ReportContext.Provider value={openReport}>
      <div class={`app${wide ? ' wide' : ' narrow'}`}>
        {active && (
          <a class="skip-link" href="#composer-input">
            {t('composer.label', active.name)}
          </a>
        )}
        <Header
          wide={wide}
          drawer={drawer}
          onToggle={toggle}
          showMembersButton={!wide && !!room}
          memberCount={memberCount}
          onChangeNick={() => setNickDialog(true)}
          onAccount={() => setAccountDialog('default')}
        />
        <ProtectionBanner onLogin={() => setAccountDialog('login')} />
        <div class="layout">
          <nav
            id="nav-panel"
            class={`panel nav-panel${drawerClass('nav')}`}
            aria-label={t('nav.conversations')}
            {...(!wide && drawer !== 'nav' ? { inert: true, 'aria-hidden': 'true' } : {})}
          >
            <Nav onPicked={() => !wide && setDrawer(null)} footer={!wide} />
          </nav>
          <main id="main" class="main">
            {state.active && active ? (
              <Conversation key={state.active} bufferKey={state.active} />
            ) : (
              <>
                <Banner />
                <Catalogue />
              </>
            )}
          </main>
          {room && (
            <aside
              id="members-panel"
              class={`panel members-panel${drawerClass('members')}`}
              aria-label={t('header.members')}
              {...(!wide && drawer !== 'members' ? { inert: true, 'aria-hidden': 'true' } : {})}
            >
              <Members bufferKey={room} />
            </aside>
          )}
        </div>
        {!wide && drawer && <div class="scrim" onClick={closeDrawer} aria-hidden="true" />}
        {nickDialog && <NickDialog onClose={() => setNickDialog(false)} />}
        {decision}
        {accountDialog && (
          <AccountDialog
            focus={accountDialog}
            onClose={() => {
              setAccountDialog(null);
              // Back to the opener once the modal (which makes the rest inert) is gone.
              requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid=account-button]')?.focus());
            }}
          />
        )}
        {report && (
          <ReportDialog
            key={`${report.subject.kind} ${report.subject.target} ${report.subject.kind === 'message' ? report.subject.msgid : ''}`}
            subject={report.subject}
            returnFocus={report.returnFocus}
            onClose={() => setReport(null)}
          />
        )}
      </div>
    </ReportContext.Provider>
  );
}
