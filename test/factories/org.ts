// A small org for tests: a city with two districts, each with a 政法委, a 综治中心 and police stations,
// categories, regions, a dispatch catalogue, and one user per role.
import type { Role } from '../../src/domain/access/roles.ts';
import type { Services } from '../../src/services/index.ts';
import { repos } from '../../src/store/repositories/index.ts';
import type { OrgUnitTable } from '../../src/store/schema.ts';

export const TEST_PASSWORD = 'Test-Passw0rd!';

export interface TestOrg {
  units: Record<string, string>;
  regions: { a: string; b: string; aStreet: string };
  users: Record<string, { username: string; roles: Role[]; unit: string }>;
}

const U = (id: string, parent: string | null, parentPath: string, name: string, type: string, level: string, region: string): OrgUnitTable => ({
  id,
  parent_id: parent,
  name,
  short_name: name,
  type,
  level,
  region_code: region,
  population: 100_000,
  peer_group: `${type}:${level}`,
  path: `${parentPath}${id}/`,
  active: 1,
  created_at: 0,
});

export async function seedTestOrg(s: Services): Promise<TestOrg> {
  const rows = [
    U('city', null, '/', '江州市委政法委', 'committee', 'city', '360600'),
    U('city-center', 'city', '/city/', '江州市综治中心', 'center', 'city', '360600'),
    U('a', 'city', '/city/', '清江区委政法委', 'committee', 'county', '360602'),
    U('a-center', 'a', '/city/a/', '清江区综治中心', 'center', 'county', '360602'),
    U('a-ps1', 'a', '/city/a/', '城关派出所', 'police_station', 'township', '360602001'),
    U('a-ps2', 'a', '/city/a/', '江滨派出所', 'police_station', 'township', '360602002'),
    U('b', 'city', '/city/', '东湖区委政法委', 'committee', 'county', '360603'),
    U('b-center', 'b', '/city/b/', '东湖区综治中心', 'center', 'county', '360603'),
    U('b-ps1', 'b', '/city/b/', '湖滨派出所', 'police_station', 'township', '360603001'),
  ];
  await repos.org.insert(s.ctx.db, rows);
  await repos.org.insertRegions(s.ctx.db, [
    { code: '360602', name: '清江区', parent_code: null, level: 'county', short_names: '["清江"]', aliases: '[]' },
    { code: '360602001', name: '城关街道', parent_code: '360602', level: 'township', short_names: '["城关"]', aliases: '[]' },
    { code: '360603', name: '东湖区', parent_code: null, level: 'county', short_names: '["东湖"]', aliases: '[]' },
  ]);
  await repos.categories.insert(s.ctx.db, [
    { id: 'order', parent_id: null, name: '社会治安', name_en: 'Public order', default_unit_type: 'police_station', handle_days: 5, urgency: 'general', default_type: 'complaint', sort: 1, active: 1 },
    { id: 'order.noise', parent_id: 'order', name: '噪音扰民', name_en: 'Noise', default_unit_type: 'police_station', handle_days: 5, urgency: 'general', default_type: 'complaint', sort: 1, active: 1 },
    { id: 'fraud', parent_id: null, name: '电信网络诈骗', name_en: 'Fraud', default_unit_type: 'police_station', handle_days: 1, urgency: 'urgent', default_type: 'help', sort: 2, active: 1 },
    { id: 'legal.aid', parent_id: null, name: '法律援助', name_en: 'Legal aid', default_unit_type: 'justice_office', handle_days: 3, urgency: 'general', default_type: 'consult', sort: 3, active: 1 },
  ]);
  await repos.org.upsertCatalogue(s.ctx.db, [{ category_id: 'order.noise', region_code: '360602001', unit_id: 'a-ps1' }]);
  await s.org.refresh();
  const users: TestOrg['users'] = {
    dispA: { username: 'dispA', roles: ['dispatcher'], unit: 'a-center' },
    dispB: { username: 'dispB', roles: ['dispatcher'], unit: 'b-center' },
    handA1: { username: 'handA1', roles: ['handler'], unit: 'a-ps1' },
    handA2: { username: 'handA2', roles: ['handler'], unit: 'a-ps2' },
    handB1: { username: 'handB1', roles: ['handler'], unit: 'b-ps1' },
    leaderA: { username: 'leaderA', roles: ['leader'], unit: 'a' },
    leaderCity: { username: 'leaderCity', roles: ['leader'], unit: 'city' },
    sysadmin: { username: 'sysadmin', roles: ['sysadmin'], unit: 'city' },
    secadmin: { username: 'secadmin', roles: ['secadmin'], unit: 'city' },
    auditor: { username: 'auditor', roles: ['auditor'], unit: 'city' },
  };
  for (const u of Object.values(users)) {
    await s.auth.createUser(null, { username: u.username, displayName: u.username, password: TEST_PASSWORD, unitId: u.unit, roles: u.roles, mustChangePassword: false });
  }
  return {
    units: Object.fromEntries(rows.map((r) => [r.id, r.id])),
    regions: { a: '360602', b: '360603', aStreet: '360602001' },
    users,
  };
}
