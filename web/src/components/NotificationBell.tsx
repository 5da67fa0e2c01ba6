// Staff messages (new, assigned, overdue, escalated appeals, risk alerts): a bell with the unread
// count, the latest messages, and the appeal behind each one.
import { useState } from 'react';
import { Badge, Button, Empty, Popover } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { api } from '../lib/api.ts';
import { fmtShort } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/useAsync.ts';
import { AppealDrawer } from './AppealDrawer.tsx';
import { useNow, useRefMaps } from './AppealBits.tsx';

interface Inbox {
  items: { id: string; template: string; title: string; body: string; appealId: string | null; createdAt: string; readAt: string | null }[];
  total: number;
  unread: number;
}

export function NotificationBell() {
  const { t } = useI18n();
  const refs = useRefMaps();
  const tick = useNow(60_000);
  const [open, setOpen] = useState(false);
  const [appealId, setAppealId] = useState<string | null>(null);
  const [bump, setBump] = useState(0);
  const state = useAsync((signal) => api<Inbox>('/api/v1/notify/inbox', { query: { pageSize: 8 }, signal }), [tick, bump]);
  const unread = state.data?.unread ?? 0;
  const markRead = async (ids?: string[]) => {
    try {
      await api('/api/v1/notify/inbox/read', { method: 'POST', body: ids ? { ids } : { all: true } });
    } catch {
      /* stays unread */
    }
    setBump((x) => x + 1);
  };
  const list = (
    <div className="bell-list" data-testid="bell-list">
      {!state.data?.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.none')} />
      ) : (
        state.data.items.map((m) => (
          <button
            type="button"
            key={m.id}
            className={m.readAt ? 'bell-item' : 'bell-item bell-unread'}
            onClick={() => {
              if (!m.readAt) void markRead([m.id]);
              if (m.appealId) {
                setAppealId(m.appealId);
                setOpen(false);
              }
            }}
          >
            <span className="bell-title">{m.title}</span>
            <span className="bell-body">{m.body}</span>
            <span className="bell-time">{fmtShort(m.createdAt)}</span>
          </button>
        ))
      )}
      {unread > 0 && (
        <Button size="small" type="link" onClick={() => void markRead()}>
          {t('bell.readAll')}
        </Button>
      )}
    </div>
  );
  return (
    <>
      <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" title={t('bell.title')} content={list}>
        <Button type="text" aria-label={t('bell.aria', { n: unread })} data-testid="bell">
          <Badge count={unread} size="small" overflowCount={99}>
            <BellOutlined style={{ fontSize: 16 }} />
          </Badge>
        </Button>
      </Popover>
      <AppealDrawer id={appealId} refs={refs} onClose={() => setAppealId(null)} />
    </>
  );
}
