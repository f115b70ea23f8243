import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useApp, useChatState, useOpenReport } from './context';
import { keyOf, sortedMembers, type Member, type Profile } from '../state/reducer';
import { nickColour } from './format';

export function ProfileBadges({ profile }: { profile: Profile }) {
  const { t } = useApp();
  return (
    <span class="badges" data-testid="profile-badges">
      <span class="pbadge age" title={t('age.years', profile.age)}>
        <span aria-hidden="true">{profile.age}</span>
        <span class="sr-only">{t('age.years', profile.age)}</span>
      </span>
      {profile.gender !== '-' && (
        <span class={`pbadge gender gender-${profile.gender}`} title={t(`gender.${profile.gender}`)}>
          <span aria-hidden="true">{t(`genderShort.${profile.gender}`)}</span>
          <span class="sr-only">{t(`gender.${profile.gender}`)}</span>
        </span>
      )}
      {profile.town && <span class="pbadge town">{profile.town}</span>}
    </span>
  );
}

interface MenuState {
  nick: string;
  x: number;
  y: number;
  /** Element to give focus back to. */
  opener: HTMLElement;
}

function MemberMenu({ menu, onClose }: { menu: MenuState; onClose(): void }) {
  const { t, store, session } = useApp();
  const state = useChatState();
  const openReport = useOpenReport();
  const ref = useRef<HTMLDivElement>(null);
  const ignored = state.ignored.some((n) => keyOf(state, n) === keyOf(state, menu.nick));

  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [menu]);
  useEffect(() => {
    const outside = (e: Event) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [menu]);

  const close = () => {
    onClose();
    menu.opener.focus();
  };
  const items = [
    {
      label: t('members.private'),
      run: () => {
        onClose();
        store.dispatch({ type: 'openPrivate', nick: menu.nick });
      },
    },
    {
      label: ignored ? t('members.unignore') : t('members.ignore'),
      run: () => {
        store.dispatch({ type: 'ignore', nick: menu.nick, on: !ignored });
        store.dispatch({
          type: 'localInfo',
          key: ignored ? 'line.unignored' : 'line.ignored',
          args: [menu.nick],
          now: Date.now(),
        });
        close();
      },
    },
    ...(session.canReport
      ? [
          {
            label: t('report.action'),
            run: () => {
              onClose();
              openReport({ kind: 'member', target: menu.nick }, menu.opener);
            },
          },
        ]
      : []),
  ];
  const onKey = (e: KeyboardEvent) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      all[(i + 1) % all.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      all[(i - 1 + all.length) % all.length]?.focus();
    } else if (e.key === 'Home') {
      e.preventDefault();
      all[0]?.focus();
    } else if (e.key === 'End') {
      e.preventDefault();
      all[all.length - 1]?.focus();
    } else if (e.key === 'Tab') {
      onClose();
    }
  };
  return (
    <div
      class="menu"
      ref={ref}
      role="menu"
      aria-label={t('members.actions', menu.nick)}
      style={{ left: `${menu.x}px`, top: `${menu.y}px` }}
      onKeyDown={onKey}
    >
      {items.map((it) => (
        <button type="button" role="menuitem" tabIndex={-1} key={it.label} onClick={it.run}>
          {it.label}
        </button>
      ))}
    </div>
  );
}

export function Members({ bufferKey }: { bufferKey: string }) {
  const { t } = useApp();
  const state = useChatState();
  const [menu, setMenu] = useState<MenuState | null>(null);
  const b = state.buffers[bufferKey];
  if (!b || b.kind !== 'room') return null;
  const members = sortedMembers(state, bufferKey);

  const open = (m: Member, el: HTMLElement, x?: number, y?: number) => {
    // The menu is positioned inside .members (which scrolls with the list).
    const box = el.closest('.members')?.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const px = (x ?? r.left + 16) - (box?.left ?? 0);
    const py = (y ?? r.bottom) - (box?.top ?? 0);
    setMenu({ nick: m.nick, x: Math.max(4, Math.min(px, (box?.width ?? 240) - 200)), y: py, opener: el });
  };

  return (
    <div class="members">
      <h2 id="members-title">
        {t('members.title', b.name)} <span class="count">({members.length})</span>
      </h2>
      <ul aria-labelledby="members-title" data-testid="member-list">
        {members.map((m) => {
          const k = keyOf(state, m.nick);
          const me = k === keyOf(state, state.nick);
          const profile = state.profiles[k];
          const ignored = state.ignored.some((n) => keyOf(state, n) === k);
          const role = m.prefixes.includes('@') ? t('members.op') : m.prefixes.includes('+') ? t('members.voice') : '';
          const content = (
            <>
              {m.prefixes && (
                <span class="prefix" title={role} aria-label={role}>
                  {m.prefixes[0]}
                </span>
              )}
              <span class="nick" style={{ color: nickColour(m.nick) }}>
                {m.nick}
              </span>
              {me && <span class="you">({t('members.you')})</span>}
              {ignored && <span class="ignored">({t('members.ignored')})</span>}
              {profile && <ProfileBadges profile={profile} />}
            </>
          );
          return (
            <li key={k} class="member" data-nick={m.nick}>
              {me ? (
                <div class="member-row">{content}</div>
              ) : (
                <button
                  type="button"
                  class="member-row"
                  aria-haspopup="menu"
                  aria-expanded={menu?.nick === m.nick}
                  onClick={(e) => open(m, e.currentTarget)}
                  onContextMenu={(e) => {
                    e.preventDefault();
                    open(m, e.currentTarget, e.clientX, e.clientY);
                  }}
                >
                  {content}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {menu && <MemberMenu menu={menu} onClose={() => setMenu(null)} />}
    </div>
  );
}
