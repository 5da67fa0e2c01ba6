// The staff frame: the menu of what the signed-in role may do, the unit and the data scope.
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Dropdown, Layout, Menu, Tooltip } from 'antd';
import {
  AlertOutlined,
  ApiOutlined,
  AuditOutlined,
  BookOutlined,
  DashboardOutlined,
  FundProjectionScreenOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuOutlined,
  NotificationOutlined,
  SearchOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useAuth } from '../../lib/auth.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { NotificationBell } from '../../components/NotificationBell.tsx';
import type { MessageKey } from '../../lib/messages.ts';

interface Entry {
  path: string;
  label: MessageKey;
  icon: React.ReactNode;
  show: (can: (p: string) => boolean, roles: string[]) => boolean;
}

const ENTRIES: Entry[] = [
  { path: '/staff/workbench', label: 'nav.workbench', icon: <InboxOutlined />, show: (can) => can('appeal.handle') },
  { path: '/staff/dispatch', label: 'nav.dispatch', icon: <AlertOutlined />, show: (can) => can('appeal.dispatch') },
  { path: '/staff/dashboard', label: 'nav.dashboard', icon: <DashboardOutlined />, show: (can) => can('metrics.read') },
  { path: '/staff/appeals', label: 'nav.appeals', icon: <SearchOutlined />, show: (can) => can('appeal.read') },
  { path: '/staff/admin', label: 'nav.admin', icon: <SettingOutlined />, show: (can) => can('org.manage') || can('user.manage') || can('category.manage') || can('calendar.manage') },
  { path: '/staff/audit', label: 'nav.audit', icon: <AuditOutlined />, show: (can) => can('audit.read') },
  { path: '/staff/kb', label: 'nav.kb', icon: <BookOutlined />, show: (can) => can('kb.manage') || can('kb.publish') },
  { path: '/staff/notify', label: 'nav.notify', icon: <NotificationOutlined />, show: (can) => can('notify.manage') },
  { path: '/staff/participation', label: 'nav.participation', icon: <TeamOutlined />, show: (can) => can('consultation.manage') || can('survey.manage') || can('metrics.read') },
  { path: '/staff/interop', label: 'nav.interop', icon: <ApiOutlined />, show: (can) => can('appeal.create') || can('security.manage') || can('metrics.read') },
];

export default function StaffLayout() {
  const { t } = useI18n();
  const { me, can, logout } = useAuth();
  const loc = useLocation();
  const nav = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const [broken, setBroken] = useState(false);
  const roles = me?.user.roles ?? [];
  const entries = ENTRIES.filter((e) => e.show(can, roles));
  const here = loc.pathname.startsWith('/staff/drilldown') ? '/staff/dashboard' : loc.pathname;
  const selected = entries.find((e) => here.startsWith(e.path))?.path;

  return (
    <Layout className="staff" hasSider>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={broken ? 0 : 64}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        onBreakpoint={(b) => {
          setBroken(b);
          setCollapsed(b);
        }}
        trigger={null}
        width={208}
        className={broken ? 'staff-sider staff-sider-overlay' : 'staff-sider'}
      >
        <Link to="/staff" className="staff-brand" aria-label={t('app.staffTitle')}>
          <span className="brand-mark">民</span>
          {!collapsed && (
            <span className="staff-brand-text">
              <strong>{t('app.name')}</strong>
              <small>{t('nav.brandSub')}</small>
            </span>
          )}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={entries.map((e) => ({ key: e.path, icon: e.icon, label: t(e.label) }))}
          onClick={({ key }) => {
            nav(key);
            if (broken) setCollapsed(true);
          }}
        />
        {can('metrics.read') && !collapsed && (
          <div className="sider-foot">
            <Link to="/staff/bigscreen" className="sider-link">
              <FundProjectionScreenOutlined /> {t('nav.bigscreen')}
            </Link>
          </div>
        )}
      </Layout.Sider>
      {broken && !collapsed && <div className="sider-backdrop" onClick={() => setCollapsed(true)} aria-hidden />}
      <Layout>
        <Layout.Header className="staff-header">
          <Button type="text" icon={<MenuOutlined />} onClick={() => setCollapsed((c) => !c)} aria-label={t('nav.toggleMenu')} className="menu-toggle" />
          <div className="staff-scope">
            <Tooltip title={t('nav.scopeHint')}>
              <span className="scope-label">{t('nav.scope')}</span>
            </Tooltip>
            <span className="scope-name" data-testid="scope-name">
              {me?.scope.rootName}
            </span>
          </div>
          <div className="staff-header-right">
            <NotificationBell />
            <LangSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'unit', label: <span className="muted">{me?.unit.name}</span>, disabled: true },
                  { key: 'roles', label: <span className="muted">{roles.map((r) => t(`role.${r}` as MessageKey)).join('、')}</span>, disabled: true },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
                ],
                onClick: async ({ key }) => {
                  if (key === 'logout') {
                    await logout();
                    nav('/login', { replace: true });
                  }
                },
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                <span className="user-name">{me?.user.displayName}</span>
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="staff-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
